import { type AnyContract, builtinContracts, type PluginError } from '@x/contract';
import { contractMismatch, goPluginInProcess } from '../errors.js';
import { checkCommandOptions, startIsolated } from '../isolate/index.js';
import type { RestartPolicy } from '../isolate/restart-policy.js';
import { type Logger, stderrLogger } from '../logger.js';
import type { Isolation } from '../manifest.js';
import type { PermissionsOption } from '../permissions/grants.js';
import type { PluginHandle } from '../plugin-handle.js';
import { checkCompat } from './check-compat.js';
import { conform } from './conform.js';
import { importInProcess } from './import-in-process.js';
import { inProcessHandle } from './in-process-handle.js';
import { locate } from './locate.js';
import { readManifest } from './read-manifest.js';
import { resolveEntry, resolveIsolateEntry } from './resolve-entry.js';
import { resolvePermissions } from './resolve-permissions.js';
import { type IntegrityPin, verifyIntegrity } from './verify-integrity.js';

export interface LoadOptions<C extends AnyContract = AnyContract> {
  /** The contract the caller expects; a plugin of another contract is refused, not mis-cast. */
  readonly contract?: C;
  /** Overrides the plugin's preferred isolation. */
  readonly isolation?: Isolation;
  /** Where to look for package names (default: process.cwd()). */
  readonly cwd?: string;
  /** Contracts the host knows, by name (default: the built-in ones). */
  readonly contracts?: Readonly<Record<string, AnyContract>>;
  /**
   * Pins the plugin's contents, checked before any of its code runs, else ERR_PLUGIN_INTEGRITY:
   * `sha512-…` from computeIntegrity(), or `'lockfile'` (docs/security.md).
   */
  readonly integrity?: IntegrityPin;
  /**
   * Runs a process plugin under Node's permission model (docs/security.md). Default false: the
   * host's full rights. `'none'`: it may read only its own code; `'manifest'`: plus what its
   * xPlugin.permissions asks; an object: exactly those grants.
   */
  readonly permissions?: PermissionsOption;
  // The options below apply to isolated plugins (worker, process) only.
  /** Receives the plugin's stdout/stderr lines and crash reports, tagged with its name (default: stderr). */
  readonly logger?: Logger;
  /** Start timeout: ms from start to a completed handshake, else ERR_PLUGIN_TIMEOUT (default 10000). */
  readonly timeout?: number;
  /** Default per-call timeout in ms, unless a call passes its own (default: none). */
  readonly callTimeout?: number;
  /** How long a health check waits; a plugin silent that long after a call timed out is killed (default 2000). */
  readonly healthTimeout?: number;
  /**
   * The whole environment of the plugin: nothing of the host's `process.env` is passed unless it
   * is listed here (go-plugin's SkipHostEnv). Default: empty, plus the handshake variables.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Heap limit in MB: the worker's resourceLimits, or the process's --max-old-space-size. */
  readonly maxHeapMb?: number;
  /** Extra Node flags for the plugin's worker or process. */
  readonly execArgv?: readonly string[];
  /** Restarts after crashes (default: at most 3 crashes in 5 minutes, then stopped); false: never. */
  readonly restart?: Partial<RestartPolicy> | false;
  /**
   * Backpressure: a new call fails with ERR_PLUGIN_BUSY while this many calls wait for an answer
   * (default 10000; Infinity: no cap). Bounds the host's memory when a plugin stops answering.
   */
  readonly maxPendingCalls?: number;
  /**
   * Backpressure for process plugins: a new call fails with ERR_PLUGIN_BUSY while more than this
   * many bytes written to the plugin are unread (default 64 MiB). Bounds a plugin that stops reading.
   */
  readonly maxQueuedBytes?: number;
  /**
   * A script that serves the plugin itself with `serve()` from @x/sdk (go-plugin's plugin
   * binary), run instead of the host's bootstrap: as the worker's script, or as `node <server>`.
   * A plugin whose manifest has `xPlugin.command` is started by that instead, and refuses this
   * option, `execArgv`, `maxHeapMb` and `permissions` (they shape Node processes only).
   */
  readonly server?: string;
  /** Called with the ERR_PLUGIN_CRASHED error each time the plugin crashes. */
  readonly onCrash?: (error: PluginError) => void;
}

/**
 * Loads one plugin through the whole pipeline: locate → manifest → compatibility → integrity
 * (all before any of its code runs) → permissions → entry → instantiate (import, or a worker /
 * child process + handshake) → conform → handle. Every failure is a PluginError naming the plugin.
 * @example const english = await loadPlugin('greeter-plugin-english', { contract: greeter });
 */
export async function loadPlugin<C extends AnyContract = AnyContract>(
  spec: string,
  options: LoadOptions<C> = {},
): Promise<PluginHandle<C>> {
  const dir = locate(spec, options.cwd ?? process.cwd());
  const pkg = readManifest(dir, spec);
  const contract = checkCompat(pkg, options.contracts ?? builtinContracts);
  if (options.contract !== undefined && options.contract.name !== contract.name) {
    throw contractMismatch(
      pkg.name,
      options.contract.name,
      [
        {
          member: '(manifest)',
          expected: `xPlugin.contract "${options.contract.name}"`,
          actual: `"${contract.name}"`,
        },
      ],
      `Load it as a "${contract.name}" plugin, or use a "${options.contract.name}" plugin here.`,
    );
  }
  verifyIntegrity(pkg, options.integrity);
  const isolation = options.isolation ?? pkg.manifest.isolation;
  if (pkg.manifest.protocol === 'go-plugin') {
    if (isolation !== 'process') throw goPluginInProcess(pkg.name, isolation);
    // Imported lazily, like gRPC itself, so that in-process hosts never load it.
    const { loadGoPlugin } = await import('../go-plugin/index.js');
    const logger = options.logger ?? stderrLogger;
    return loadGoPlugin(pkg, (options.contract ?? contract) as C, {
      logger,
      startTimeout: options.timeout,
    });
  }
  const command = pkg.manifest.command;
  // A Python script or other program speaking x's protocol: a process, with no Node options.
  if (command !== undefined) checkCommandOptions(pkg, isolation, options);
  const sandbox = resolvePermissions(pkg, isolation, options.permissions);
  if (isolation !== 'in-process') {
    const entry = command === undefined ? resolveIsolateEntry(pkg) : command.join(' ');
    const started = await startIsolated(pkg, entry, isolation, {
      ...options,
      logger: options.logger ?? stderrLogger,
      sandbox,
    });
    try {
      conform(pkg, contract, started.value, started.exportNames);
    } catch (error) {
      await started.abort();
      throw error;
    }
    return started.toHandle((options.contract ?? contract) as C);
  }
  const { value, exportNames } = await importInProcess(pkg, resolveEntry(pkg));
  conform(pkg, contract, value, exportNames);
  return inProcessHandle(pkg, (options.contract ?? contract) as C, value);
}
