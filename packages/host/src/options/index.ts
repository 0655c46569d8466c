export { contractProblem, isContract } from './check-contract.js';
export { isAbortSignal, isTimeout, MAX_TIMEOUT_MS } from './check-values.js';
export type { GoPluginReattach, GoPluginVersion } from './go-plugin-options.js';
export type { GoPluginLoadOptions, LoadOptions } from './load-options.js';
export { badOption, describeValue } from './option-error.js';
export { type RuntimeKind, refuseUnsupported, runtimeOf } from './refuse-unsupported.js';
export {
  DEFAULT_GO_START_TIMEOUT_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_START_TIMEOUT_MS,
  type ResolvedLoadOptions,
  resolveLoadOptions,
} from './resolve-load-options.js';
