/** The kinds of value a contract method takes and returns. Plain data, so any language can speak them. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'void';

/** The TypeScript type of a `ValueKind`. */
export type KindType<K extends ValueKind> = K extends 'string'
  ? string
  : K extends 'number'
    ? number
    : K extends 'boolean'
      ? boolean
      : undefined;

export interface ParamSpec {
  readonly name: string;
  readonly type: ValueKind;
}

export interface MethodSpec {
  readonly params: readonly ParamSpec[];
  readonly returns: ValueKind;
  readonly description?: string;
}

export type MethodsSpec = Readonly<Record<string, MethodSpec>>;

/** A contract: the Go interface both sides compile against, written as data. */
export interface Contract<N extends string = string, M extends MethodsSpec = MethodsSpec> {
  readonly name: N;
  readonly description?: string;
  readonly methods: M;
}

export type AnyContract = Contract<string, MethodsSpec>;

type ParamTypes<P extends readonly ParamSpec[]> = { -readonly [I in keyof P]: KindType<P[I]['type']> };

type Signature<S extends MethodSpec, R> = (...args: ParamTypes<S['params']>) => R;

/** The interface a contract describes, as a plugin implements it in-process (`Greeter`). */
export type Infer<C extends AnyContract> = {
  -readonly [K in keyof C['methods']]: Signature<C['methods'][K], KindType<C['methods'][K]['returns']>>;
};

/** What a plugin author may write: each method may answer directly or with a promise. */
export type Implementation<C extends AnyContract> = {
  -readonly [K in keyof C['methods']]: Signature<
    C['methods'][K],
    KindType<C['methods'][K]['returns']> | Promise<KindType<C['methods'][K]['returns']>>
  >;
};

/** What a host holds: the same methods, each answering with a promise, whatever the isolation. */
export type Client<C extends AnyContract> = {
  -readonly [K in keyof C['methods']]: Signature<
    C['methods'][K],
    Promise<KindType<C['methods'][K]['returns']>>
  >;
};

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * Defines a contract once, as data; its TypeScript interface is inferred from it.
 * @example const greeter = defineContract({ name: 'greeter', methods: { lang: { params: [], returns: 'string' } } });
 */
export function defineContract<const N extends string, const M extends MethodsSpec>(
  spec: Contract<N, M>,
): Contract<N, M> {
  if (!NAME_PATTERN.test(spec.name)) {
    throw new TypeError(`Contract name "${spec.name}" must be lower-case letters, digits and dashes.`);
  }
  for (const [method, m] of Object.entries(spec.methods)) {
    if (!Array.isArray(m.params))
      throw new TypeError(`Contract "${spec.name}": ${method}.params must be a list.`);
  }
  return Object.freeze({ ...spec, methods: Object.freeze({ ...spec.methods }) });
}
