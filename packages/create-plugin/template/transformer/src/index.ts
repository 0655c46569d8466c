import { transformer } from '@x/contract';
import { definePlugin } from '@x/sdk';

/**
 * The plugin: the "transformer" contract's methods, exported as `plugin` (see xPlugin.export in
 * package.json). The factory runs once per load, in every isolation, with `ctx`: the host's
 * functions (`ctx.host`, for contracts that declare some), the `config` it was loaded with,
 * `ctx.logger` (forwarded to the host's logger) and `ctx.onDispose` (run when the host unloads it).
 * Every method also gets `{ signal }` after its params: it fires when the host cancels the call.
 */
export const plugin = definePlugin(transformer, (ctx) => {
  ctx.onDispose(() => ctx.logger.debug('unloaded'));
  return {
    transform: (input) => input.toUpperCase(),
    name: () => 'upper',
  };
});
