// @x/host's public surface. One way to load (createHost().load; loadPlugin is the same pipeline
// without a host), one way to discover (host.discover; discoverPlugins is the same without a host).
// The CLI's internals are not exported: the x-plugin bin is their only user.

/**
 * Every failure is a PluginError with a stable code (docs/errors.md); transfer() moves a
 * Uint8Array's memory to a worker plugin instead of copying it (docs/protocol.md, "Bytes to a worker").
 */
export { PluginError, type PluginErrorCode, transfer } from '@x/contract';
/** The caps that bound what waits on one plugin (docs/reliability.md#backpressure). */
export { type Backpressure, DEFAULT_BACKPRESSURE } from './core/backpressure.js';
/** The per-call options (`timeout`, `signal`) and what handle.stats() answers. */
export type { CallOptions } from './core/call-pipeline.js';
export type { CrashRecord, MemoryRecord, PluginStats } from './core/call-stats.js';
/** Unresponsive detection (the liveness ping) and its report (docs/reliability.md, "Unresponsive plugins"). */
export { DEFAULT_UNRESPONSIVE_TIMEOUT_MS, type UnresponsiveReport } from './core/liveness.js';
/** When a crashed isolated plugin is restarted: at most 3 crashes in 5 minutes by default. */
export { DEFAULT_RESTART_POLICY, type RestartPolicy } from './core/restart-policy.js';
/** Finding plugins without importing them; host.discover() is the same with the host's cwd and contracts. */
export {
  type DiscoveredPlugin,
  type DiscoverOptions,
  type DiscoverySource,
  discoverPlugins,
} from './discover/index.js';
/** A loaded plugin: typed methods, facts, health, stats and close(). */
export type { HealthReport, IsolatedState, PluginHandle } from './handle/plugin-handle.js';
/** The host: load, loadAll, discover, handles, close. */
export { createHost, type Host, type HostOptions, type LoadResult } from './host.js';
/** The sha512 pin of a plugin's files, for the integrity load option (docs/security.md). */
export { computeIntegrity } from './integrity/index.js';
/** Compatibility verdicts, as `x-plugin list` and `doctor` report them (docs/compatibility.md). */
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
/** The load pipeline without a host (close the handle yourself); the same as createHost().load. */
export { type LoadOptions, loadPlugin } from './load/load-plugin.js';
/** Reading a manifest without loading the plugin (for tools such as `x-plugin doctor`). */
export { inspectManifest, KNOWN_MANIFEST_FIELDS, type ManifestInspection } from './load/read-manifest.js';
export type { IntegrityPin } from './load/verify-integrity.js';
/** Where the host's messages and plugins' output go. */
export { type Logger, type LogLevel, silentLogger, stderrLogger } from './logger.js';
/** The manifest as the host reads it (package.json `xPlugin`, docs/manifest.md). */
export { ISOLATIONS, type Isolation, type PluginManifest, type PluginPackage } from './manifest.js';
/** What host.stats() answers: sums over the open plugins, and each one's stats. */
export type { HostStats, PluginStatsEntry } from './observe/host-stats.js';
/** The `diagnostics_channel` tracing channel every plugin call is published on, and its context (docs/reliability.md, "Tracing"). */
export { CALL_CHANNEL, type CallTraceContext } from './observe/trace-call.js';
/** The `x-plugin:stream` channel: a stream method's stream opened and ended. */
export { STREAM_CHANNEL, type StreamTraceMessage } from './observe/trace-stream.js';
/** go-plugin plugins' own load options: several app protocol versions at once, and reattaching (docs/polyglot.md). */
export type { GoPluginReattach, GoPluginVersion } from './options/go-plugin-options.js';
/** The load options that shape how a plugin runs, and their defaults. */
export type { IsolatedOptions } from './options/isolated-options.js';
export type { GoPluginLoadOptions } from './options/load-options.js';
/** watch, unresponsiveTimeout, onUnresponsive, profileOnHang. */
export type { ObserveOptions } from './options/observe-options.js';
export {
  DEFAULT_GO_START_TIMEOUT_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_START_TIMEOUT_MS,
} from './options/resolve-load-options.js';
/** Node's permission model for process plugins, and the host's policy for what manifests ask (docs/security.md#permissions). */
export type {
  ApprovePermissions,
  PermissionGrants,
  PermissionPolicy,
  PermissionRequester,
  PermissionsOption,
  ResolvedPermissions,
} from './permissions/index.js';
