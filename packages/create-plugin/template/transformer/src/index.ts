import { transformer } from '@x/contract';
import { definePlugin } from '@x/sdk';

/** The plugin: the "transformer" contract's methods, exported as `plugin` (see xPlugin.export in package.json). */
export const plugin = definePlugin(transformer, {
  transform: (input) => input.toUpperCase(),
  name: () => 'upper',
});
