import type { TSchema } from '@sinclair/typebox';
import type { CallMethods, ImplementMethods, InferMethods } from './schema/infer.js';
import type { JsonSchema } from './schema/json-schema.js';
import { validateContract } from './schema/validate-contract.js';

/** The scalar kinds of version 1: a param's `type` or a method's `returns` may still be one of them. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'void';

/** A param's `type` or a method's `returns`: a scalar shorthand, a schema built with `t`, or raw JSON Schema. */
export type TypeSpec = ValueKind | TSchema | JsonSchema;

export interface ParamSpec {
  readonly name: string;
  readonly type: TypeSpec;
  /** The same as `t.optional(type)`, for raw JSON Schema: the param may be left out (trailing only). */
  readonly optional?: boolean;
  readonly description?: string;
}

export interface MethodSpec {
  readonly params: readonly ParamSpec[];
  readonly returns: TypeSpec;
  readonly description?: string;
}

export type MethodsSpec = Readonly<Record<string, MethodSpec>>;

/** A contract: the Go interface both sides compile against, written as data. */
export interface Contract<
  N extends string = string,
  M extends MethodsSpec = MethodsSpec,
  H extends MethodsSpec | undefined = MethodsSpec | undefined,
  Cfg extends TypeSpec | undefined = TypeSpec | undefined,
> {
  readonly name: N;
  /** The contract's own semver, compared with a plugin's stamp at load (docs/compatibility.md). */
  readonly version?: string;
  readonly description?: string;
  readonly methods: M;
  /** The functions the host offers the plugin (`ctx.host`), same shape as methods. */
  readonly host?: H;
  /** The schema of the `config` the host hands each plugin at load. */
  readonly config?: Cfg;
}

export type AnyContract = Contract<string, MethodsSpec, MethodsSpec | undefined, TypeSpec | undefined>;

/** The interface a contract describes, as a plugin implements it in-process (`Greeter`). */
export type Infer<C extends AnyContract> = InferMethods<C['methods']>;

/**
 * What a plugin author may write: each method may answer directly or with a promise, and gets one
 * more argument after its declared params, `{ signal }` (optional to declare).
 */
export type Implementation<C extends AnyContract> = ImplementMethods<C['methods']>;

/** What a host holds: the same methods, each answering with a promise, whatever the isolation. */
export type Client<C extends AnyContract> = CallMethods<C['methods']>;

/**
 * Defines a contract once, as data; its TypeScript interface is inferred from it. Throws a
 * TypeError for what the host could not honour (unknown kinds, unnamed or duplicate params, ...).
 * @example const greeter = defineContract({ name: 'greeter', methods: { lang: { params: [], returns: 'string' } } });
 */
export function defineContract<
  const N extends string,
  const M extends MethodsSpec,
  const H extends MethodsSpec | undefined = undefined,
  const Cfg extends TypeSpec | undefined = undefined,
>(spec: Contract<N, M, H, Cfg>): Contract<N, M, H, Cfg> {
  validateContract(spec);
  const frozen: Record<string, unknown> = { ...spec, methods: Object.freeze({ ...spec.methods }) };
  if (spec.host !== undefined) frozen.host = Object.freeze({ ...spec.host });
  return Object.freeze(frozen) as unknown as Contract<N, M, H, Cfg>;
}
