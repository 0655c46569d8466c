import type { OptionalKind, Static, TAsyncIterator, TSchema } from '@sinclair/typebox';
import type { AnyContract, MethodSpec, MethodsSpec, ParamSpec, ValueKind } from '../define-contract.js';

/** The TypeScript type of a `ValueKind`. */
export type KindType<K extends ValueKind> = K extends 'string'
  ? string
  : K extends 'number'
    ? number
    : K extends 'boolean'
      ? boolean
      : undefined;

/** The TypeScript type of a param's `type` or a method's `returns`: a shorthand, a `t` schema, or raw JSON (unknown). */
export type TypeOf<S> = S extends ValueKind
  ? KindType<S>
  : S extends TAsyncIterator<infer I>
    ? AsyncIterable<Static<I>>
    : S extends TSchema
      ? Static<S>
      : unknown;

type IsOptional<P extends ParamSpec> = P extends { readonly optional: true }
  ? true
  : P['type'] extends { readonly [OptionalKind]: 'Optional' }
    ? true
    : false;

/** A method's params as a tuple; `t.optional` trailing params become optional arguments. */
export type Args<P extends readonly ParamSpec[]> = P extends readonly [
  infer H extends ParamSpec,
  ...infer R extends readonly ParamSpec[],
]
  ? IsOptional<H> extends true
    ? [arg?: TypeOf<H['type']>, ...Args<R>]
    : [arg: TypeOf<H['type']>, ...Args<R>]
  : P extends readonly []
    ? []
    : TypeOf<P[number]['type']>[];

/**
 * A method's params as the plugin receives them: every declared position is there (an optional
 * param left out arrives as undefined), so the call's context always sits right after them.
 */
export type ReceivedArgs<P extends readonly ParamSpec[]> = P extends readonly [
  infer H extends ParamSpec,
  ...infer R extends readonly ParamSpec[],
]
  ? IsOptional<H> extends true
    ? [arg: TypeOf<H['type']> | undefined, ...ReceivedArgs<R>]
    : [arg: TypeOf<H['type']>, ...ReceivedArgs<R>]
  : P extends readonly []
    ? []
    : TypeOf<P[number]['type']>[];

/** What the plugin gets after its declared params: the call's cancellation. */
export interface CallContext {
  /** Fires when the host cancels the call or its timeout passes. */
  readonly signal: AbortSignal;
}

type Returned<S extends MethodSpec> = TypeOf<S['returns']>;
/** What an implementation may answer: a `void` method may also just return (`() => {}`). */
type Answered<S extends MethodSpec> = [Returned<S>] extends [undefined] ? void : Returned<S>;
type IsStream<S extends MethodSpec> = S['returns'] extends TAsyncIterator ? true : false;

/** The plain interface of a set of methods (`Greeter`). */
export type InferMethods<M extends MethodsSpec> = {
  -readonly [K in keyof M]: (...args: Args<M[K]['params']>) => Returned<M[K]>;
};

/** Plugin side: may answer directly or with a promise; a stream is any async iterable (an async generator). */
export type ImplementMethods<M extends MethodsSpec> = {
  -readonly [K in keyof M]: (
    ...args: [...ReceivedArgs<M[K]['params']>, context: CallContext]
  ) => IsStream<M[K]> extends true ? Returned<M[K]> : Answered<M[K]> | Promise<Answered<M[K]>>;
};

/**
 * An implementation as its own author calls it directly (in a unit test): the `{ signal }` a host
 * always passes may be left out. What `definePlugin` returns.
 */
export type DirectMethods<M extends MethodsSpec> = {
  -readonly [K in keyof M]: (
    ...args: [...Args<M[K]['params']>, context?: CallContext]
  ) => IsStream<M[K]> extends true ? Returned<M[K]> : Answered<M[K]> | Promise<Answered<M[K]>>;
};

/** `Implementation<C>` as its author calls it directly, without the host's `{ signal }`. */
export type DirectImplementation<C extends AnyContract> = DirectMethods<C['methods']>;

/** Caller side: every answer is a promise, whatever the isolation; a stream is an async iterable. */
export type CallMethods<M extends MethodsSpec> = {
  -readonly [K in keyof M]: (
    ...args: Args<M[K]['params']>
  ) => IsStream<M[K]> extends true ? Returned<M[K]> : Promise<Returned<M[K]>>;
};

/** Sync-or-async functions, as the host app writes its host functions. */
export type SyncOrAsync<M extends MethodsSpec> = {
  -readonly [K in keyof M]: (...args: Args<M[K]['params']>) => Answered<M[K]> | Promise<Answered<M[K]>>;
};

type HostOf<C extends AnyContract> = [NonNullable<C['host']>] extends [never]
  ? Record<never, never>
  : NonNullable<C['host']> extends MethodsSpec
    ? NonNullable<C['host']>
    : Record<never, never>;

/** The host functions as the host app implements them (`load(spec, { host })`): sync or async. */
export type HostImplementation<C extends AnyContract> = SyncOrAsync<HostOf<C>>;

/** The host functions as the plugin calls them (`ctx.host`): always async, in every isolation. */
export type HostClient<C extends AnyContract> = CallMethods<HostOf<C>>;

/** The type of the `config` a contract's plugins are given at load (`undefined` when it has none). */
export type ConfigOf<C extends AnyContract> = [NonNullable<C['config']>] extends [never]
  ? undefined
  : NonNullable<C['config']> extends TSchema
    ? Static<NonNullable<C['config']>>
    : unknown;
