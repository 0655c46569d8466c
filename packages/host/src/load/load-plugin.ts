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
import { importInProcess } from '../runtimes/in-process/import-in-process.js';
import { inProcessHandle } from '../runtimes/in-process/in-process-handle.js';
import { remoteExport } from '../runtimes/x-protocol/remote-export.js';
import { startIsolated } from '../runtimes/x-protocol/start-isolated.js';
import { checkConfig } from '../talkback/check-config.js';
import { inProcessInstance } from '../talkback/in-process-instance.js';
import { watchPlugin } from '../watch/watch-plugin.js';
import { checkCompat } from './check-compat.js';
import { conform } from './conform.js';
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

/** An isolated plugin started, handshaken and conformed. */
interface Started {
  readonly connection: Connection;
  readonly restart: StartConnection;
  readonly stamp: PluginStamp | undefined;
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
): Promise<PluginHandle<C>> {
  const { signal } = options;
  const checkAborted = () => {
    if (signal?.aborted) throw loadAborted(options.spec, signal);
  };
  checkAborted();
  const prepared = await prepare(options);
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

  const started = await start(prepared, options, typed);
  let watching: ReturnType<typeof watchPlugin> | undefined;
  const handle = supervisedHandle<C>(
    pkg,
    typed,
    runtime === 'go-plugin' ? 'process' : isolation,
    started.stamp,
    started.connection,
    started.restart,
    options,
    onClose,
    {
      ...(runtime === 'worker' ? { profiler: workerProfiler } : {}),
      ...(runtime === 'process' ? { profiler: processProfiler } : {}),
      ...(options.watch
        ? {
            watch: (reload) => {
              watching = watchPlugin(pkg, options, () => reloadOnce(prepared, options, typed, reload));
              return watching.stop;
            },
          }
        : {}),
    },
  );
  // Watching from the moment load() resolves: an edit right after it is seen.
  await watching?.ready;
  return handle;
}

/**
 * Every step before plugin code runs: locate → manifest → compatibility → integrity → what the
 * runtime can honour → permissions → config. Run again on each reload, so that an edit that
 * breaks compatibility or the integrity pin is refused like a first load.
 */
async function prepare(options: ResolvedLoadOptions): Promise<Prepared> {
  const pkg = readManifest(locate(options.spec, options.cwd), options.spec);
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

/** Starts an isolated plugin (handshake included) and conforms it; a failure leaves nothing running. */
async function start(prepared: Prepared, options: ResolvedLoadOptions, typed: AnyContract): Promise<Started> {
  const { pkg, contract, isolation, runtime, sandbox } = prepared;
  const { signal } = options;
  if (runtime === 'go-plugin') {
    // Imported lazily, like gRPC itself, so that hosts without go-plugin plugins never load it.
    const { startGoPlugin } = await import('../runtimes/go-plugin/index.js');
    // Its gRPC services are generated from the contract: a method it lacks answers UNIMPLEMENTED.
    const { connection, restart } = await startGoPlugin(pkg, contract, options);
    if (signal?.aborted) {
      await connection.close();
      throw loadAborted(pkg.name, signal);
    }
    return { connection, restart, stamp: undefined };
  }
  const entry =
    pkg.manifest.command === undefined ? resolveIsolateEntry(pkg) : pkg.manifest.command.join(' ');
  const started = await startIsolated(pkg, entry, isolation as 'worker' | 'process', options, sandbox, typed);
  try {
    conform(pkg, contract, remoteExport(started.shape), [...started.shape.exportNames]);
    if (signal?.aborted) throw loadAborted(pkg.name, signal);
  } catch (error) {
    await started.connection.close();
    throw error;
  }
  return { connection: started.connection, restart: started.restart, stamp: started.shape.stamp };
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
): Promise<void> {
  // The first load's signal has long settled: a reload is ended by close(), not by it.
  const again = { ...options, signal: undefined };
  const next = await prepare(again);
  if (next.contract.name !== first.contract.name || next.runtime !== first.runtime) {
    throw new Error(
      `it now is a "${next.contract.name}" plugin run as ${next.runtime}, not the "${first.contract.name}" plugin run as ${first.runtime} that was loaded: load it again`,
    );
  }
  const started = await start(next, again, typed);
  await reload(started.connection, started.restart);
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
