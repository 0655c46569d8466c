import { type AnyContract, builtinContracts, type PluginError } from '@x/contract';
import { contractMismatch } from '../errors.js';
import { startIsolated } from '../isolate/index.js';
import type { RestartPolicy } from '../isolate/restart-policy.js';
import { type Logger, stderrLogger } from '../logger.js';
import type { Isolation } from '../manifest.js';
import type { PluginHandle } from '../plugin-handle.js';
import { resolveContract } from './check-compat.js';
import { conform } from './conform.js';
import { importInProcess } from './import-in-process.js';
import { inProcessHandle } from './in-process-handle.js';
import { locate } from './locate.js';
import { readManifest } from './read-manifest.js';
import { resolveEntry, resolveIsolateEntry } from './resolve-entry.js';

export interface LoadOptions<C extends AnyContract = AnyContract> {
  /** The contract the caller expects; a plugin of another contract is refused, not mis-cast. */
  readonly contract?: C;
  /** Overrides the plugin's preferred isolation. */
  readonly isolation?: Isolation;
  /** Where to look for package names (default: process.cwd()). */
  readonly cwd?: string;
  /** Contracts the host knows, by name (default: the built-in ones). */
  readonly contracts?: Readonly<Record<string, AnyContract>>;
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
   * A script that serves the plugin itself with `serve()` from @x/sdk (go-plugin's plugin
   * binary), run instead of the host's bootstrap: as the worker's script, or as `node <server>`.
   */
  readonly server?: string;
  /** Called with the ERR_PLUGIN_CRASHED error each time the plugin crashes. */
  readonly onCrash?: (error: PluginError) => void;
}

/**
 * Loads one plugin through the whole pipeline: locate → manifest → compatibility → entry →
 * instantiate (import, or a worker / child process + handshake) → conform → handle. Every failure is a PluginError naming the plugin.
 * @example const english = await loadPlugin('greeter-plugin-english', { contract: greeter });
 */
export async function loadPlugin<C extends AnyContract = AnyContract>(
  spec: string,
  options: LoadOptions<C> = {},
): Promise<PluginHandle<C>> {
  const dir = locate(spec, options.cwd ?? process.cwd());
  const pkg = readManifest(dir, spec);
  const contract = resolveContract(pkg, options.contracts ?? builtinContracts);
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
  const isolation = options.isolation ?? pkg.manifest.isolation;
  if (isolation !== 'in-process') {
    const started = await startIsolated(pkg, resolveIsolateEntry(pkg), isolation, {
      ...options,
      logger: options.logger ?? stderrLogger,
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
