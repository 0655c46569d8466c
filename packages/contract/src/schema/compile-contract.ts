import { Kind, type TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { TypeSystemPolicy } from '@sinclair/typebox/system';
import type { AnyContract } from '../define-contract.js';
import { isStreamReturn } from '../talkback/stream-return.js';
import { contractToJson, type MethodJson } from './contract-json.js';
import { describeSchema, describeValue } from './describe-schema.js';
import { toTypeBox } from './json-schema.js';

/** Why a value does not fit its schema: where, what was expected there, and what was found. */
export interface SchemaProblem {
  /** `opts.strength`, `image`, `(result).items[2]`, `(arguments)`. */
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
  /** The three together, for an error message. */
  readonly message: string;
}

export interface CompiledMethod {
  /** The arguments of one call, against the method's params (count, order, optional trailing). */
  checkArgs(args: readonly unknown[]): SchemaProblem | undefined;
  /** The answer, against `returns`; for a stream, that it is an async iterable (see checkItem). */
  checkResult(value: unknown): SchemaProblem | undefined;
  /** For a stream method, one item it yields. */
  checkItem(value: unknown): SchemaProblem | undefined;
  readonly stream: boolean;
  /** How many arguments a call may pass (optional trailing params make `min` < `max`). */
  readonly arity: { readonly min: number; readonly max: number };
  /**
   * Each param's compiled check alone, as a yes/no: what a caller that holds the arguments one
   * by one (the host's in-process fast path) runs, without an array; `checkArgs` says why not.
   */
  readonly fits: readonly ((value: unknown) => boolean)[];
  /** The answer's compiled check alone, as a yes/no (`checkResult` says why not). */
  fitsResult(value: unknown): boolean;
}

export interface CompiledContract {
  readonly methods: Readonly<Record<string, CompiledMethod>>;
  readonly host: Readonly<Record<string, CompiledMethod>>;
  /** The load option `config`, against the contract's `config` schema (anything when it has none). */
  checkConfig(value: unknown): SchemaProblem | undefined;
}

// NaN, ±Infinity are numbers a contract may carry (DESIGN.md, data fidelity), and void is
// undefined or null (null is how undefined crosses JSON). TypeBox reads these policies while it
// generates a checker and while it lists errors, so they are set around exactly those two.
function withPolicy<T>(fn: () => T): T {
  const nan = TypeSystemPolicy.AllowNaN;
  const nullVoid = TypeSystemPolicy.AllowNullVoid;
  TypeSystemPolicy.AllowNaN = true;
  TypeSystemPolicy.AllowNullVoid = true;
  try {
    return fn();
  } finally {
    TypeSystemPolicy.AllowNaN = nan;
    TypeSystemPolicy.AllowNullVoid = nullVoid;
  }
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('');
}

function valueAt(value: unknown, pointer: string): unknown {
  let here = value;
  for (const part of pointer.split('/').slice(1))
    here = (here as Record<string, unknown> | undefined)?.[part];
  return here;
}

function problem(path: string, expected: string, actual: string): SchemaProblem {
  return { path, expected, actual, message: `${path}: expected ${expected}, got ${actual}` };
}

/** One schema, compiled: a checker that answers a problem or undefined. */
type Checker = ((value: unknown, path: string) => SchemaProblem | undefined) & {
  /** The compiled check alone. */
  readonly test: (value: unknown) => boolean;
};

// A schema that admits every value (t.unknown(), `{}`, `true`) checks nothing: its test is this
// one function, not a call through TypeBox's TypeCheck (measured, bench/validation.bench.mjs: the
// compiled `true` behind `check.Check` cost ~25 ns a call once the call site saw several schemas,
// more than an object schema's own check when it alone was monomorphic). So a t.unknown() param
// is what "unvalidated" means, and the in-process bench's validation row has a real floor.
const admitsAll = (_value: unknown) => true;
const NOTHING_TO_CHECK: Checker = Object.assign((_value: unknown, _path: string) => undefined, {
  test: admitsAll,
});

function checker(json: Record<string, unknown>, where: string): Checker {
  const schema = toTypeBox(json, where) as unknown as TSchema;
  if (schema[Kind] === 'Unknown' || schema[Kind] === 'Any') return NOTHING_TO_CHECK;
  const check: TypeCheck<TSchema> = withPolicy(() => TypeCompiler.Compile(schema));
  const test = (value: unknown) => check.Check(value);
  return Object.assign(
    (value: unknown, path: string) => {
      if (check.Check(value)) return undefined;
      const first = withPolicy(() => check.Errors(value).First());
      const pointer = first?.path ?? '';
      const at = `${path}${pointerToPath(pointer)}`;
      const expected = pointer === '' ? describeSchema(json) : describeSchema(first?.schema);
      return problem(at, expected, describeValue(valueAt(value, pointer)));
    },
    { test },
  );
}

function compileMethod(name: string, m: MethodJson, where: string): CompiledMethod {
  const params = m.params.map((p) => ({ ...p, check: checker(p.type, `${where}.${name}(${p.name})`) }));
  const required = params.filter((p) => p.optional !== true).length;
  const stream = isStreamReturn(m.returns);
  const returns = m.returns.type === 'void' ? undefined : checker(m.returns, `${where}.${name}.returns`);
  const items = stream
    ? checker((m.returns.items ?? {}) as Record<string, unknown>, `${where}.${name}.returns[]`)
    : undefined;
  const signature = `(${params.map((p) => `${p.name}${p.optional ? '?' : ''}: ${describeSchema(p.type)}`).join(', ')})`;
  const isVoid = (value: unknown) => value === undefined || value === null;
  return {
    stream,
    arity: { min: required, max: params.length },
    fits: params.map((p) =>
      p.optional === true ? (value: unknown) => value === undefined || p.check.test(value) : p.check.test,
    ),
    fitsResult: returns === undefined ? isVoid : returns.test,
    checkArgs(args) {
      if (args.length < required || args.length > params.length) {
        const count = required === params.length ? `${required}` : `${required} to ${params.length}`;
        return problem('(arguments)', `${count} argument(s) ${signature}`, `${args.length}`);
      }
      for (let i = 0; i < params.length; i++) {
        const p = params[i]!;
        const value = args[i];
        if (value === undefined && p.optional === true) continue;
        const found = p.check(value, p.name);
        if (found !== undefined) return found;
      }
      return undefined;
    },
    checkResult(value) {
      if (returns === undefined) {
        return value === undefined || value === null
          ? undefined
          : problem('(result)', 'void', describeValue(value));
      }
      return returns(value, '(result)');
    },
    checkItem(value) {
      return items === undefined ? undefined : items(value, '(item)');
    },
  };
}

const compiled = new WeakMap<object, CompiledContract>();

/**
 * The validators of every method of `contract`, compiled once (TypeBox's TypeCompiler) and cached
 * per contract object, so that a call pays a generated check, not an interpretation of the schema.
 * @example const m = compileContract(imageFilter).methods.apply; const p = m.checkArgs(args); if (p) throw ...
 */
export function compileContract(contract: AnyContract): CompiledContract {
  const hit = compiled.get(contract);
  if (hit !== undefined) return hit;
  const json = contractToJson(contract);
  const compileAll = (methods: Readonly<Record<string, MethodJson>> | undefined, where: string) =>
    Object.freeze(
      Object.fromEntries(
        Object.entries(methods ?? {}).map(([name, m]) => [name, compileMethod(name, m, where)]),
      ),
    );
  const config = json.config === undefined ? undefined : checker(json.config, `${json.name} config`);
  const result: CompiledContract = Object.freeze({
    methods: compileAll(json.methods, json.name),
    host: compileAll(json.host, `${json.name} host`),
    checkConfig: (value: unknown) => config?.(value, 'config'),
  });
  compiled.set(contract, result);
  return result;
}
