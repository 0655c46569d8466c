import type { AnyContract } from './define-contract.js';
import { greeter, transformer } from './v1/index.js';

/** The contracts every host knows, by name. */
export const builtinContracts: Readonly<Record<string, AnyContract>> = Object.freeze({
  greeter,
  transformer,
});
