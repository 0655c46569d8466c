import { type AnyContract, builtinContracts } from '@x/contract';
import { contractMismatch, goPluginInProcess } from '../errors.js';
import { checkCommandOptions, startIsolated } from '../isolate/index.js';
import type { IsolatedOptions } from '../isolate/isolated-options.js';
import { stderrLogger } from '../logger.js';
import type { Isolation } from '../manifest.js';
import type { PermissionsOption } from '../permissions/grants.js';
import type { PluginHandle } from '../plugin-handle.js';
// talkback hook: config, host functions and dispose hooks (packages/host/src/talkback/).
import { inProcessInstance } from '../talkback/in-process-instance.js';
import type { TalkbackOptions } from '../talkback/options.js';
import { checkCompat } from './check-compat.js';
import { conform } from './conform.js';
import { importInProcess } from './import-in-process.js';
import { inProcessHandle } from './in-process-handle.js';
import { locate } from './locate.js';
import { readManifest } from './read-manifest.js';
import { resolveEntry, resolveIsolateEntry } from './resolve-entry.js';
import { resolvePermissions } from './resolve-permissions.js';
import { type IntegrityPin, verifyIntegrity } from './verify-integrity.js';

/** Options of `loadPlugin` and `host.load`; those of isolated plugins are in IsolatedOptions. */
export interface LoadOptions<C extends AnyContract = AnyContract> extends IsolatedOptions, TalkbackOptions {
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
  const typed = (options.contract ?? contract) as C;
  const logger = options.logger ?? stderrLogger;
  if (pkg.manifest.protocol === 'go-plugin') {
    if (isolation !== 'process') throw goPluginInProcess(pkg.name, isolation);
    // Imported lazily, like gRPC itself, so that in-process hosts never load it.
    const { loadGoPlugin } = await import('../go-plugin/index.js');
    return loadGoPlugin(pkg, typed, { logger, startTimeout: options.timeout });
  }
  const command = pkg.manifest.command;
  // A Python script or other program speaking x's protocol: a process, with no Node options.
  if (command !== undefined) checkCommandOptions(pkg, isolation, options);
  const sandbox = resolvePermissions(pkg, isolation, options.permissions);
  if (isolation !== 'in-process') {
    const entry = command === undefined ? resolveIsolateEntry(pkg) : command.join(' ');
    const started = await startIsolated(pkg, entry, isolation, {
      ...options,
      logger,
      sandbox,
      hostContract: typed,
    });
    try {
      conform(pkg, contract, started.value, started.exportNames);
    } catch (error) {
      await started.abort();
      throw error;
    }
    return started.toHandle(typed);
  }
  const { value, exportNames } = await importInProcess(pkg, resolveEntry(pkg));
  conform(pkg, contract, value, exportNames);
  const instance = await inProcessInstance(pkg, typed, value, options, logger);
  return inProcessHandle(pkg, typed, value, instance, { logger, disposeTimeout: options.disposeTimeout });
}
