export { type Backpressure, DEFAULT_BACKPRESSURE } from './backpressure.js';
export type { ExitInfo } from './channel.js';
export { DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy.js';
export { type StartedIsolated, startIsolated } from './start-isolated.js';
