import type { AnyContract, PluginStamp } from '@x/contract';
import type { Connection, StartConnection } from '../core/connection.js';
import { withDeadline } from '../core/deadline.js';
import type { Profiler } from '../core/profile-on-hang.js';
import { contractMismatch, loadAborted, startTimedOut } from '../errors.js';
import type { PluginHandle } from '../handle/plugin-handle.js';
import { supervisedHandle } from '../handle/supervised-handle.js';
import type { Isolation, PluginPackage } from '../manifest.js';
import type { LoadOptions } from '../options/load-options.js';
import { type RuntimeKind, refuseUnsupported, runtimeOf } from '../options/refuse-unsupported.js';
import {
  DEFAULT_START_TIMEOUT_MS,
  type ResolvedLoadOptions,
  resolveLoadOptions,
} from '../options/resolve-load-options.js';
import type { ResolvedPermissions } from '../permissions/grants.js';
import { type GroupRegistry, processGroups } from '../runtimes/group/group-registry.js';
import { importInProcess } from '../runtimes/in-process/import-in-process.js';
import { inProcessHandle } from '../runtimes/in-process/in-process-handle.js';
import { remoteExport } from '../runtimes/x-protocol/remote-export.js';
import { isolatedLauncher, restartOf } from '../runtimes/x-protocol/start-isolated.js';
import { checkConfig } from '../talkback/check-config.js';
import { inProcessInstance } from '../talkback/in-process-instance.js';
import { watchPlugin } from '../watch/watch-plugin.js';
import { checkCompat } from './check-compat.js';
import { conform } from './conform.js';
import type { KnownManifests } from './known-manifests.js';
import { locate } from './locate.js';
import { readManifest } from './read-manifest.js';
import { resolveEntry, resolveIsolateEntry } from './resolve-entry.js';
import { resolvePermissions } from './resolve-permissions.js';
import { verifyIntegrity } from './verify-integrity.js';

export type { LoadOptions };

/**
 * Loads one plugin: the same pipeline as `createHost().load`, without a host to close it (close
 * the handle yourself). Kept for 1.0 callers; prefer `createHost().load`.
 * @example const english = await loadPlugin('greeter-plugin-english', { contract: greeter });
 */
export async function loadPlugin<C extends AnyContract = AnyContract>(
  spec: string,
  options: LoadOptions<C> = {},
): Promise<PluginHandle<C>> {
  return loadResolved<C>(resolveLoadOptions(spec, options));
}

/** What the pipeline knows of a plugin before any of its code runs. */
interface Prepared {
  readonly pkg: PluginPackage;
  readonly contract: AnyContract;
  readonly isolation: Isolation;
  readonly runtime: RuntimeKind;
  readonly sandbox: ResolvedPermissions | undefined;
}

/**
 * The load pipeline, one step a line, read top to bottom: locate → manifest → compatibility →
 * integrity (all before any plugin code runs) → what the runtime can honour → permissions →
 * start (import, or a worker / process + handshake) → conform → handle. A load that fails or is
 * aborted after its plugin started stops it. Every failure is a PluginError naming the plugin.
 */
export async function loadResolved<C extends AnyContract = AnyContract>(
  options: ResolvedLoadOptions,
  onClose?: () => void,
  groups: GroupRegistry = processGroups,
  known?: KnownManifests,
): Promise<PluginHandle<C>> {
  const { signal } = options;
  const checkAborted = () => {
    if (signal?.aborted) throw loadAborted(options.spec, signal);
  };
  checkAborted();
  const prepared = await prepare(options, known);
  const { pkg, contract, isolation, runtime } = prepared;
  const typed = (options.contract ?? contract) as C;
  const startTimeout = options.startTimeout ?? DEFAULT_START_TIMEOUT_MS;

  if (runtime === 'in-process') {
    // The import cannot be stopped once begun: past the timeout (or an abort) the host only
    // stops waiting for it, and the plugin is never handed out.
    const { value, exportNames } = await withDeadline(
      importInProcess(pkg, resolveEntry(pkg), options.logger),
      startTimeout,
      () => startTimedOut(pkg.name, 'in-process', startTimeout, []),
      signal,
      () => loadAborted(pkg.name, signal),
    );
    conform(pkg, contract, value, exportNames);
    checkAborted();
    // One instance per load: a factory-form plugin runs its factory here, with config and host.
    const instance = await inProcessInstance(pkg, typed, value, options, options.logger);
    return inProcessHandle(pkg, typed, value, instance, options, onClose);
  }

  let starter = await starterOf(prepared, options, typed, groups);
  let first: Connection | undefined;
  try {
    first = options.lazy ? undefined : await starter.first();
    if (signal?.aborted) {
      await first?.close();
      checkAborted();
    }
  } catch (error) {
    starter.release();
    throw error;
  }
  const chosen = starter.chosen();
  let watching: ReturnType<typeof watchPlugin> | undefined;
  const handle = supervisedHandle<C>(
    pkg,
    (chosen?.contract ?? typed) as C,
    runtime === 'go-plugin' ? 'process' : isolation,
    // A lazy plugin's stamp is known once it started, a reloaded one's is its new instance's.
    () => starter.stamp(),
    first,
    starter.restart,
    options,
    () => {
      starter.release();
      onClose?.();
    },
    {
      ...(runtime === 'worker' ? { profiler: workerProfiler } : {}),
      ...(runtime === 'process' ? { profiler: processProfiler } : {}),
      ...(options.watch
        ? {
            watch: (reload) => {
              watching = watchPlugin(pkg, options, async () => {
                starter = await reloadOnce(prepared, options, typed, reload);
              });
              return watching.stop;
            },
          }
        : {}),
    },
  );
  if (runtime === 'go-plugin') {
    Object.defineProperty(handle, 'protocolVersion', {
      get: () => starter.chosen()?.protocolVersion,
      enumerable: true,
    });
  }
  // Watching from the moment load() resolves: an edit right after it is seen.
  await watching?.ready;
  return handle;
}

/**
 * Every step before plugin code runs: locate → manifest → compatibility → integrity → what the
 * runtime can honour → permissions → config. Run again on each reload, so that an edit that
 * breaks compatibility or the integrity pin is refused like a first load.
 */
async function prepare(options: ResolvedLoadOptions, known?: KnownManifests): Promise<Prepared> {
  const dir = locate(options.spec, options.cwd);
  // The manifest the host's discover() validated, while its file is unchanged; else read now.
  const pkg = known?.get(dir) ?? readManifest(dir, options.spec);
  const contract = await checkCompat(pkg, options.contracts, undefined, options.contract);
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
  verifyIntegrity(pkg, options.integrity, options.cwd);
  const isolation = options.isolation ?? pkg.manifest.isolation;
  const runtime = runtimeOf(pkg, isolation);
  refuseUnsupported(pkg, runtime, isolation, options);
  const sandbox = await resolvePermissions(pkg, isolation, options);
  // The config is the caller's: refused (naming the field) before any plugin code runs.
  checkConfig(pkg.name, options.contract ?? contract, options.config);
  return { pkg, contract, isolation, runtime, sandbox };
}

/** How an isolated plugin is started: the first time, after a crash, after an idle stop. */
interface Starter {
  /** The first start; a lazy plugin's runs on its first call. A failure leaves nothing running. */
  readonly first: StartConnection;
  /** Every later start (a restart re-verifies the integrity pin). */
  readonly restart: StartConnection;
  /** The stamp of the instance last started (known once one has). */
  stamp(): PluginStamp | undefined;
  /** go-plugin with `versions`: the version the plugin chose, and its contract. */
  chosen(): { readonly contract: AnyContract; readonly protocolVersion: number } | undefined;
  /** Leaves the plugin's isolation group, if it is in one. */
  release(): void;
}

/**
 * Nothing starts here: the starts are handed back, so that a lazy plugin starts on its first call.
 * Every start of a Node or command plugin is conformed: its files may have changed since the load.
 */
async function starterOf(
  prepared: Prepared,
  options: ResolvedLoadOptions,
  typed: AnyContract,
  groups: GroupRegistry,
): Promise<Starter> {
  const { pkg, contract, isolation, runtime, sandbox } = prepared;
  // A lazy plugin starts after load() returned: the load's signal ended the load, not its later starts.
  const starting = options.lazy ? Object.freeze({ ...options, signal: undefined }) : options;
  if (runtime === 'go-plugin') {
    // Imported lazily, like gRPC itself, so that hosts without go-plugin plugins never load it.
    const { startGoPlugin } = await import('../runtimes/go-plugin/index.js');
    // With the versions option, the plugin's choice in its handshake picks the contract, so it is
    // known at the first start (lazy with versions is refused when the options are resolved).
    let restart: StartConnection | undefined;
    let chosen: { contract: AnyContract; protocolVersion: number } | undefined;
    const start: StartConnection = async () => {
      if (restart !== undefined) return restart();
      const started = await startGoPlugin(pkg, typed, starting);
      restart = started.restart;
      chosen = { contract: started.contract, protocolVersion: started.protocolVersion };
      return started.connection;
    };
    return { first: start, restart: start, stamp: () => undefined, chosen: () => chosen, release: () => {} };
  }
  const entry =
    pkg.manifest.command === undefined ? resolveIsolateEntry(pkg) : pkg.manifest.command.join(' ');
  const kind = isolation as 'worker' | 'process';
  // A group member joins its group's worker or process (starting it if none runs); any other
  // plugin gets one of its own. Either way nothing starts until the launch is called.
  const member = options.group === undefined ? undefined : groups.member(pkg, entry, kind, starting, typed);
  const launch = member?.launch ?? isolatedLauncher(pkg, entry, kind, starting, sandbox, typed);
  let stamp: PluginStamp | undefined;
  const start = async (): Promise<Connection> => {
    const started = await launch();
    try {
      conform(pkg, contract, remoteExport(started.shape), [...started.shape.exportNames]);
    } catch (error) {
      await started.connection.close();
      throw error;
    }
    stamp = started.shape.stamp;
    return started.connection;
  };
  return {
    first: start,
    restart: restartOf(pkg, options, start),
    stamp: () => stamp,
    chosen: () => undefined,
    release: () => member?.release(),
  };
}

/**
 * Watch mode's reload: the whole pipeline again on the changed files, a fresh instance started
 * beside the old one, then swapped in. Anything that fails keeps the old instance (the watcher
 * logs it as ERR_PLUGIN_RELOAD); a plugin that changed its contract or runtime is refused.
 */
async function reloadOnce(
  first: Prepared,
  options: ResolvedLoadOptions,
  typed: AnyContract,
  reload: (next: Connection, restart: StartConnection) => Promise<void>,
): Promise<Starter> {
  // The first load's signal has long settled: a reload is ended by close(), not by it.
  const again = { ...options, signal: undefined };
  const next = await prepare(again);
  if (next.contract.name !== first.contract.name || next.runtime !== first.runtime) {
    throw new Error(
      `it now is a "${next.contract.name}" plugin run as ${next.runtime}, not the "${first.contract.name}" plugin run as ${first.runtime} that was loaded: load it again`,
    );
  }
  const starter = await starterOf(next, again, typed, processGroups);
  const connection = await starter.first();
  await reload(connection, starter.restart);
  return starter;
}

const processProfiler: Profiler = async (c, durationMs) => {
  const { profileProcess } = await import('../runtimes/process/profile-agent.js');
  return profileProcess(c, durationMs);
};

const workerProfiler: Profiler = async (c, durationMs) => {
  if (c.threadId === undefined) throw new Error('the worker has no thread id (it has ended)');
  const { profileWorker } = await import('../runtimes/worker/profile-worker.js');
  return profileWorker(c.threadId, durationMs);
};
