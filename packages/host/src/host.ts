import type { AnyContract } from '@x/contract';
import { builtinContracts, PluginError } from '@x/contract';
import { type LoadOptions, loadPlugin } from './load/load-plugin.js';
import { type Logger, stderrLogger } from './logger.js';
import type { PluginHandle } from './plugin-handle.js';

export interface HostOptions {
  /** Where package names are looked up (default: process.cwd()). */
  readonly cwd?: string;
  /** Contracts beyond the built-in `greeter` and `transformer`. */
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
  /** Closes every plugin this host loaded. */
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

/** @example const host = createHost(); const english = await host.load('greeter-plugin-english', { contract: greeter }); */
export function createHost(options: HostOptions = {}): Host {
  const contracts: Record<string, AnyContract> = { ...builtinContracts };
  for (const c of options.contracts ?? []) contracts[c.name] = c;
  // Handles of every contract, held only to close them: their methods are never called from here.
  const handles = new Set<{ close(): Promise<void> }>();
  const host: Host = {
    logger: options.logger ?? stderrLogger,
    contracts,
    async load(spec, loadOptions = {}) {
      try {
        const handle = await loadPlugin(spec, {
          cwd: options.cwd,
          contracts,
          logger: host.logger,
          ...loadOptions,
        });
        handles.add(handle);
        return handle;
      } catch (error) {
        throw asPluginError(spec, error);
      }
    },
    async loadAll(specs, loadOptions) {
      const settled = await Promise.allSettled(specs.map((spec) => host.load(spec, loadOptions)));
      return settled.map((s, i) => {
        const spec = specs[i]!;
        return s.status === 'fulfilled'
          ? { ok: true as const, spec, handle: s.value }
          : { ok: false as const, spec, error: asPluginError(spec, s.reason) };
      });
    },
    async close() {
      const all = [...handles];
      handles.clear();
      await Promise.allSettled(all.map((h) => h.close()));
    },
  };
  return host;
}
