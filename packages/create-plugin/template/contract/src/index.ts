import { definePlugin } from '@x/sdk';
{{{contractImport}}}

/**
 * The plugin: the "{{contractName}}" contract's methods (from {{contractPackage}}), exported as
 * `plugin` (see xPlugin.export in package.json). Each stub answers a sample of the right shape.
 */
export const plugin = definePlugin(contract, {
{{{stubs}}}
});
