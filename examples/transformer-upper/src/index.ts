import { transformer } from '@x/contract';
import { definePlugin } from '@x/sdk';

export const plugin = definePlugin(transformer, {
  transform: (input) => input.toUpperCase(),
  name: () => 'upper',
});
