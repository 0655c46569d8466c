import type {
  AnyContract,
  HostSpec,
  KindType,
  MethodContext,
  MethodSpec,
  PluginContext,
  ValueKind,
} from '@x/contract';

// Minimal types for the factory form, over the contract's `host` and `config` read as plain data.
// The schemas branch brings `HostClient<C>` / `ConfigOf<C>` inferred from `t` schemas; these are
// written so that the lead can swap them in (same names, same places).

/** The TypeScript type of a scalar kind; anything else (a schema) is `unknown` until `t` lands. */
type TypeOf<K> = K extends ValueKind ? KindType<K> : unknown;

type ParamsOf<P> = P extends readonly unknown[]
  ? { -readonly [I in keyof P]: P[I] extends { readonly type: infer K } ? TypeOf<K> : unknown }
  : unknown[];

/** The host functions a contract declares, as the plugin calls them: async in every isolation. */
export type HostClient<C> = C extends { readonly host: infer H extends HostSpec }
  ? {
      readonly [K in keyof H]: (
        ...args: [...ParamsOf<H[K]['params']>, { signal?: AbortSignal }?]
      ) => Promise<TypeOf<H[K]['returns']>>;
    }
  : Readonly<Record<string, never>>;

/** The config a contract's `config` schema describes (unknown until `t` lands). */
export type ConfigOf<C> = C extends { readonly config: infer S }
  ? S extends undefined
    ? undefined
    : unknown
  : undefined;

/** What a factory receives. */
export type PluginCtx<C extends AnyContract> = PluginContext<HostClient<C>, ConfigOf<C>>;

type MethodImpl<S extends MethodSpec> = (
  ...args: [...ParamsOf<S['params']>, MethodContext]
) => TypeOf<S['returns']> | Promise<TypeOf<S['returns']>> | AsyncIterable<unknown>;

/** An implementation: each method may also take the trailing `{ signal }`, and may dispose itself. */
export type TalkbackImplementation<C extends AnyContract> = {
  -readonly [K in keyof C['methods']]: MethodImpl<C['methods'][K]>;
} & { [Symbol.asyncDispose]?: () => PromiseLike<void> | void };

/** The factory form's factory. */
export type PluginFactory<C extends AnyContract> = (
  ctx: PluginCtx<C>,
) => TalkbackImplementation<C> | Promise<TalkbackImplementation<C>>;
