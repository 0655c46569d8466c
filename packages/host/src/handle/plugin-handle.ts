import type { AnyContract, Client, PluginStamp } from '@x/contract';
import type { CallOptions, CallPipeline } from '../core/call-pipeline.js';
import type { PluginStats } from '../core/call-stats.js';
import type { Isolation, PluginManifest, PluginPackage } from '../manifest.js';

/** A loaded plugin: its typed methods, what is known of it, and how to unload it. */
export interface PluginHandle<C extends AnyContract = AnyContract> {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly manifest: PluginManifest;
  readonly contract: C;
  /** The isolation it actually runs in (the host's choice, else the manifest's). */
  readonly isolation: Isolation;
  /** What the SDK stamped into the plugin's code, if it was built with `definePlugin`. */
  readonly stamp: PluginStamp | undefined;
  /** The contract's methods, each answering with a promise: `await handle.plugin.greet('World')`. */
  readonly plugin: Client<C>;
  /** Calls one method by name, with per-call options. */
  call(method: string, args: unknown[], options?: CallOptions): Promise<unknown>;
  /** Counts of the calls made through this handle, their failures by code, and recent latency. */
  stats(): PluginStats;
  /** Unloads the plugin. Calls made after it fail with ERR_PLUGIN_CLOSED. Safe to call twice. */
  close(): Promise<void>;
  readonly closed: boolean;
  // Isolated plugins only (worker, process, command and go-plugin): absent on in-process handles.
  /** Asks the plugin whether its event loop answers (go-plugin's health check). */
  health?(): Promise<HealthReport>;
  /** How often the plugin was restarted after a crash. */
  readonly restarts?: number;
  readonly state?: IsolatedState;
  /** The plugin's process id (process isolation), while it runs. */
  readonly pid?: number;
  /** The plugin's worker thread id (worker isolation), while it runs. */
  readonly threadId?: number;
  /** go-plugin plugins only: the app protocol version the plugin chose (see the `versions` load option). */
  readonly protocolVersion?: number;
}

/** Where an isolated plugin stands: restarting after a crash, or stopped by the restart policy. */
export type IsolatedState = 'running' | 'restarting' | 'stopped' | 'closed';

/** The answer to a health check: `ok` when the plugin's event loop answered in time. */
export type HealthReport =
  | { readonly ok: true; readonly latencyMs: number; readonly [fact: string]: unknown }
  | { readonly ok: false; readonly reason: string };

/** The members every kind of handle shares, in-process and supervised alike. */
export type HandleBase<C extends AnyContract> = Pick<
  PluginHandle<C>,
  'name' | 'version' | 'dir' | 'manifest' | 'contract' | 'isolation' | 'stamp' | 'plugin' | 'call'
>;

/** What is known of the plugin, and its typed methods over the one call pipeline. */
export function handleBase<C extends AnyContract>(
  pkg: PluginPackage,
  contract: C,
  isolation: Isolation,
  stamp: PluginStamp | undefined,
  pipeline: CallPipeline<C>,
): HandleBase<C> {
  return {
    name: pkg.name,
    version: pkg.version,
    dir: pkg.dir,
    manifest: pkg.manifest,
    contract,
    isolation,
    stamp,
    plugin: pipeline.client,
    call: pipeline.call,
  };
}
