import { setMaxListeners } from 'node:events';
import type { AnyContract } from '@x/contract';
import { builtinContracts, PluginError } from '@x/contract';
import { eitherSignal } from './core/either-signal.js';
import { discoverPlugins } from './discover/discover-plugins.js';
import type { DiscoveredPlugin, DiscoverOptions } from './discover/discovered-plugin.js';
import { closedDuringLoad } from './errors.js';
import type { PluginHandle } from './handle/plugin-handle.js';
import { KnownManifests } from './load/known-manifests.js';
import { type LoadOptions, loadResolved } from './load/load-plugin.js';
import { type Logger, stderrLogger } from './logger.js';
import { type HostStats, hostStats } from './observe/host-stats.js';
import { contractProblem } from './options/check-contract.js';
import { badOption, describeValue } from './options/option-error.js';
import { resolveLoadOptions } from './options/resolve-load-options.js';
import { createGroupRegistry } from './runtimes/group/group-registry.js';

export interface HostOptions {
  /** Where package names are looked up (default: process.cwd()). */
  readonly cwd?: string;
  /** Contracts beyond the built-in `greeter` and `transformer` (an array, as load's `contracts`). */
  readonly contracts?: readonly AnyContract[];
  /** Receives the host's messages and isolated plugins' output (default: stderr). */
  readonly logger?: Logger;
}

export type LoadResult<C extends AnyContract = AnyContract> =
  | { readonly ok: true; readonly spec: string; readonly handle: PluginHandle<C> }
  | { readonly ok: false; readonly spec: string; readonly error: PluginError };

export interface Host {
  readonly logger: Logger;
  readonly contracts: Readonly<Record<string, AnyContract>>;
  /** Loads one plugin; throws a PluginError if it cannot. */
  load<C extends AnyContract = AnyContract>(spec: string, options?: LoadOptions<C>): Promise<PluginHandle<C>>;
  /** Loads several plugins; one that fails never stops the others (the Go host's loop goes on). */
  loadAll<C extends AnyContract = AnyContract>(
    specs: readonly string[],
    options?: LoadOptions<C>,
  ): Promise<LoadResult<C>[]>;
  /**
   * Finds plugins without importing them (the project's installed ones at the host's cwd by
   * default, a plugin directory with `dir`, named ones with `paths`), each with its verdict.
   * @example for (const p of host.discover()) if (p.ok) await host.load(p.dir);
   */
  discover(options?: Omit<DiscoverOptions, 'contracts'>): DiscoveredPlugin[];
  /** The plugins this host loaded and that are not closed (a handle closed by its owner leaves at once). */
  handles(): PluginHandle[];
  /** Every open plugin's stats, and their sums (calls, errors by code, in flight, restarts, streams). */
  stats(): HostStats;
  /** Closes every plugin this host loaded, and ends the loads under way (they reject with ERR_PLUGIN_CLOSED). */
  close(): Promise<void>;
}

/** Wraps anything thrown by the load path that is not already a PluginError. */
function asPluginError(spec: string, error: unknown): PluginError {
  if (PluginError.isInstance(error)) return error;
  return new PluginError({
    code: 'ERR_PLUGIN_LOAD',
    plugin: spec,
    what: `Plugin "${spec}" failed to load.`,
    why: error instanceof Error ? error.message : String(error),
    fix: 'This is unexpected: please report it with the stack of the cause.',
    cause: error,
  });
}

function hostContracts(list: unknown): Record<string, AnyContract> {
  const contracts: Record<string, AnyContract> = { ...builtinContracts };
  if (list === undefined) return contracts;
  if (!Array.isArray(list)) {
    throw badOption(
      '',
      'contracts',
      `createHost takes an array of contracts, not ${describeValue(list)}`,
      'Pass contracts: [myContract, ...].',
      list,
    );
  }
  for (const [i, c] of list.entries()) {
    const problem = contractProblem(c);
    if (problem !== undefined)
      throw badOption(
        '',
        'contracts',
        `item ${i}: ${problem}`,
        'Pass only contracts made by defineContract.',
        c,
      );
    contracts[(c as AnyContract).name] = c as AnyContract;
  }
  return contracts;
}

/**
 * The one way to load plugins: a host holds its contracts, logger and cwd, and closes every
 * plugin it loaded (and ends every load still under way) on close().
 * @example const host = createHost(); const english = await host.load('greeter-plugin-english', { contract: greeter });
 */
export function createHost(options: HostOptions = {}): Host {
  if (options === null || typeof options !== 'object') {
    throw badOption(
      '',
      'options',
      `createHost takes an options object, not ${describeValue(options)}`,
      'Pass { cwd, contracts, logger }, or nothing.',
      options,
    );
  }
  if (options.cwd !== undefined && (typeof options.cwd !== 'string' || options.cwd === '')) {
    throw badOption(
      '',
      'cwd',
      `must be a non-empty string, not ${describeValue(options.cwd)}`,
      'Pass a folder path.',
      options.cwd,
    );
  }
  if (
    options.logger !== undefined &&
    typeof (options.logger as { log?: unknown } | null)?.log !== 'function'
  ) {
    throw badOption(
      '',
      'logger',
      `must be an object with a log(level, message, fields) method, not ${describeValue(options.logger)}`,
      'Pass a Logger (stderrLogger, silentLogger, or your own).',
      options.logger,
    );
  }
  const contracts = hostContracts(options.contracts);
  const list = Object.values(contracts);
  // Handles of every contract, held only to close them: their methods are never called from here.
  // A handle closed by its owner leaves the set, so a long-lived host does not grow.
  const handles = new Set<PluginHandle>();
  const loading = new Set<Promise<unknown>>();
  // Isolation groups are per host: two hosts' groups of one name are two isolates.
  const groups = createGroupRegistry();
  // The manifests of this host's last discover(): a load of one of them skips reading it again.
  const known = new KnownManifests();
  // Aborted by close(): ends the loads under way; a new one is made so the host can load again.
  // Every load under way listens to it, so loadAll() of more than ten would set off Node's
  // MaxListenersExceededWarning ("possible memory leak"): each listener leaves with its load.
  const closer = () => {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  };
  let closing = closer();
  const host: Host = {
    logger: options.logger ?? stderrLogger,
    contracts,
    async load(spec, loadOptions = {}) {
      const ended = closing.signal;
      const resolved = resolveLoadOptions(spec, {
        cwd: options.cwd,
        contracts: list,
        logger: host.logger,
        ...loadOptions,
      });
      const signal = eitherSignal(resolved.signal, ended);
      let handle: PluginHandle | undefined;
      const work = loadResolved({ ...resolved, signal }, () => handles.delete(handle!), groups, known);
      loading.add(work);
      try {
        handle = await work;
        // Closed in the last moment of the load: nothing of it may outlive close().
        if (ended.aborted) {
          await handle.close();
          throw closedDuringLoad(spec);
        }
        handles.add(handle);
        return handle as never;
      } catch (error) {
        if (ended.aborted) throw closedDuringLoad(spec);
        throw asPluginError(spec, error);
      } finally {
        loading.delete(work);
      }
    },
    async loadAll(specs, loadOptions) {
      if (!Array.isArray(specs)) {
        throw badOption(
          '',
          'specs',
          `loadAll takes an array of plugin specs, not ${describeValue(specs)}`,
          'Pass [name or path, ...].',
          specs,
        );
      }
      const settled = await Promise.allSettled(specs.map((spec) => host.load(spec, loadOptions)));
      return settled.map((s, i) => {
        const spec = specs[i]!;
        return s.status === 'fulfilled'
          ? { ok: true as const, spec, handle: s.value }
          : { ok: false as const, spec, error: asPluginError(spec, s.reason) };
      });
    },
    handles: () => [...handles],
    stats: () => hostStats([...handles]),
    discover(discoverOptions = {}) {
      const found = discoverPlugins({ cwd: options.cwd, ...discoverOptions, contracts });
      known.replace(found.map((p) => p.package));
      return found;
    },
    async close() {
      const ending = closing;
      closing = closer();
      ending.abort();
      // The loads under way stop what they started and reject; then nothing of this host runs.
      await Promise.allSettled([...loading]);
      const all = [...handles];
      handles.clear();
      await Promise.allSettled(all.map((h) => h.close()));
    },
  };
  return host;
}
