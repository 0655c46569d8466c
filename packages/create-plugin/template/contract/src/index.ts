import { definePlugin } from '@x/sdk';
{{{contractImport}}}

/**
 * The plugin: the "{{contractName}}" contract's methods (from {{contractPackage}}), exported as
 * `plugin` (see xPlugin.export in package.json). Each stub answers a sample of the right shape.
 * The factory runs once per load, in every isolation, with `ctx`: the host's functions
 * (`ctx.host`{{#if hostFunctions}}: {{hostFunctions}}{{/if}}), the `config` it was loaded with, `ctx.logger` and
 * `ctx.onDispose`. Every method also gets `{ signal }` after its params.
 */
export const plugin = definePlugin(contract, (ctx) => {
  ctx.onDispose(() => ctx.logger.debug('unloaded'));
  return {
{{{stubs}}}
  };
});
