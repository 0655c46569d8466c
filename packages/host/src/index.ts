export { PluginError, type PluginErrorCode } from '@x/contract';
export type { CallOptions } from './client.js';
export { createHost, type Host, type HostOptions, type LoadResult } from './host.js';
export { DEFAULT_RESTART_POLICY, type RestartPolicy } from './isolate/index.js';
export { type LoadOptions, loadPlugin } from './load/load-plugin.js';
export { type Logger, type LogLevel, silentLogger, stderrLogger } from './logger.js';
export { ISOLATIONS, type Isolation, type PluginManifest, type PluginPackage } from './manifest.js';
export type { HealthReport, IsolatedState, PluginHandle } from './plugin-handle.js';
