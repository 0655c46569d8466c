import { greeter } from '@x/contract';
import { definePlugin } from '@x/sdk';

/** The plugin: the "greeter" contract's methods, exported as `plugin` (see xPlugin.export in package.json). */
export const plugin = definePlugin(greeter, {
  greet: (name) => `Hello, ${name}!`,
  lang: () => 'English',
});
