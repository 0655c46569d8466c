import { greeter } from '@x/contract';
import { definePlugin } from '@x/sdk';

/** The Go tutorial's `greeterSpanish`, exported as `plugin`. */
export const plugin = definePlugin(greeter, {
  greet: (name) => `¡Hola, ${name}! Mucho gusto.`,
  lang: () => 'Español',
});
