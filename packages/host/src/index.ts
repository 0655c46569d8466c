export { PluginError, type PluginErrorCode } from '@x/contract';
export type { CallOptions } from './client.js';
export {
  type DiscoveredPlugin,
  type DiscoverOptions,
  type DiscoverySource,
  discoverPlugins,
} from './discover/index.js';
export { createHost, type Host, type HostOptions, type LoadResult } from './host.js';
export { computeIntegrity } from './integrity/index.js';
export {
  type Backpressure,
  DEFAULT_BACKPRESSURE,
  DEFAULT_RESTART_POLICY,
  type RestartPolicy,
} from './isolate/index.js';
export type { IsolatedOptions } from './isolate/isolated-options.js';
export {
  type CompatVerdict,
  compatibilityOf,
  currentHostVersions,
  type HostVersions,
  type ProblemJson,
  problemJson,
  satisfiesRange,
  stampProblems,
} from './load/compat/index.js';
export { type LoadOptions, loadPlugin } from './load/load-plugin.js';
export { inspectManifest, KNOWN_MANIFEST_FIELDS, type ManifestInspection } from './load/read-manifest.js';
export type { IntegrityPin } from './load/verify-integrity.js';
export { type Logger, type LogLevel, silentLogger, stderrLogger } from './logger.js';
export { ISOLATIONS, type Isolation, type PluginManifest, type PluginPackage } from './manifest.js';
export type {
  ApprovePermissions,
  PermissionGrants,
  PermissionPolicy,
  PermissionRequester,
  PermissionsOption,
  ResolvedPermissions,
} from './permissions/index.js';
export type { HealthReport, IsolatedState, PluginHandle } from './plugin-handle.js';
