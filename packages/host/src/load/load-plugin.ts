import { type AnyContract, builtinContracts, PluginError } from '@x/contract';
import { contractMismatch, goPluginInProcess } from '../errors.js';
import { type Logger, stderrLogger } from '../logger.js';
import type { Isolation } from '../manifest.js';
import type { PluginHandle } from '../plugin-handle.js';
import { resolveContract } from './check-compat.js';
import { conform } from './conform.js';
import { importInProcess } from './import-in-process.js';
import { inProcessHandle } from './in-process-handle.js';
import { locate } from './locate.js';
import { readManifest } from './read-manifest.js';
import { resolveEntry } from './resolve-entry.js';

export interface LoadOptions<C extends AnyContract = AnyContract> {
  /** The contract the caller expects; a plugin of another contract is refused, not mis-cast. */
  readonly contract?: C;
  /** Overrides the plugin's preferred isolation. */
  readonly isolation?: Isolation;
  /** Where to look for package names (default: process.cwd()). */
  readonly cwd?: string;
  /** Contracts the host knows, by name (default: the built-in ones). */
  readonly contracts?: Readonly<Record<string, AnyContract>>;
  /** Receives isolated plugins' output, tagged with their name (default: stderr). */
  readonly logger?: Logger;
  /** How long an isolated plugin has to start and answer its handshake, in ms. */
  readonly startTimeout?: number;
}

/**
 * Loads one plugin through the whole pipeline: locate → manifest → compatibility → entry →
 * import → conform → handle. Every failure is a PluginError naming the plugin.
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
  if (pkg.manifest.protocol === 'go-plugin') {
    if (isolation !== 'process') throw goPluginInProcess(pkg.name, isolation);
    // Imported lazily, like gRPC itself, so that in-process hosts never load it.
    const { loadGoPlugin } = await import('../go-plugin/index.js');
    const logger = options.logger ?? stderrLogger;
    return loadGoPlugin(pkg, (options.contract ?? contract) as C, {
      logger,
      startTimeout: options.startTimeout,
    });
  }
  const entry = resolveEntry(pkg);
  if (isolation !== 'in-process') {
    throw new PluginError({
      code: 'ERR_PLUGIN_LOAD',
      plugin: pkg.name,
      what: `Plugin "${pkg.name}" asks for "${isolation}" isolation.`,
      why: 'This release of @x/host runs plugins in-process only.',
      fix: 'Load it with { isolation: "in-process" }.',
    });
  }
  const { value, exportNames } = await importInProcess(pkg, entry);
  conform(pkg, contract, value, exportNames);
  return inProcessHandle(pkg, (options.contract ?? contract) as C, value);
}
