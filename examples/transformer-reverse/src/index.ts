import { transformer } from '@x/contract';
import { definePlugin } from '@x/sdk';

// Array.from splits by code point, so that "¡Hola" reverses without breaking surrogate pairs.
export const plugin = definePlugin(transformer, {
  transform: (input) => Array.from(input).reverse().join(''),
  name: () => 'reverse',
});
