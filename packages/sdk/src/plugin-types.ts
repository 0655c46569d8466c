import type { AnyContract, ConfigOf, HostClient, Implementation, PluginContext } from '@x/contract';

// The factory form's types, over @x/contract's inferred ones (HostClient, ConfigOf): one
// definition of what the plugin sees, shared with the host's `load(spec, { host, config })`.

/** What a factory receives: `ctx.host` (typed, async), `ctx.config`, `ctx.logger`, `ctx.onDispose`. */
export type PluginCtx<C extends AnyContract> = PluginContext<HostClient<C>, ConfigOf<C>>;

/** An implementation: each method takes the trailing `{ signal }`, and the object may dispose itself. */
export type TalkbackImplementation<C extends AnyContract> = Implementation<C> & {
  [Symbol.asyncDispose]?: () => PromiseLike<void> | void;
};

/** The factory form's factory. */
export type PluginFactory<C extends AnyContract> = (
  ctx: PluginCtx<C>,
) => TalkbackImplementation<C> | Promise<TalkbackImplementation<C>>;
