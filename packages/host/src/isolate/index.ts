export { type Backpressure, DEFAULT_BACKPRESSURE } from './backpressure.js';
export type { ExitInfo } from './channel.js';
export { checkCommandOptions } from './command-plugin.js';
export { DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy.js';
export {
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_START_TIMEOUT_MS,
  type IsolateOptions,
  startIsolated,
} from './start-isolated.js';
