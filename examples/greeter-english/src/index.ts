import { greeter } from '@x/contract';
import { definePlugin } from '@x/sdk';

/** The Go tutorial's `greeterEnglish`, exported as `plugin` (Go's `Lookup("Plugin")`). */
export const plugin = definePlugin(greeter, {
  greet: (name) => `Hello, ${name}! Nice to meet you.`,
  lang: () => 'English',
});
