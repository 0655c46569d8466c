import type { AnyContract } from '@x/contract';
import { withDeadline } from '../core/deadline.js';
import { contractMismatch, loadAborted, startTimedOut } from '../errors.js';
import type { PluginHandle } from '../handle/plugin-handle.js';
import { supervisedHandle } from '../handle/supervised-handle.js';
import type { LoadOptions } from '../options/load-options.js';
import { refuseUnsupported, runtimeOf } from '../options/refuse-unsupported.js';
import {
  DEFAULT_START_TIMEOUT_MS,
  type ResolvedLoadOptions,
  resolveLoadOptions,
} from '../options/resolve-load-options.js';
import { importInProcess } from '../runtimes/in-process/import-in-process.js';
import { inProcessHandle } from '../runtimes/in-process/in-process-handle.js';
import { remoteExport } from '../runtimes/x-protocol/remote-export.js';
import { startIsolated } from '../runtimes/x-protocol/start-isolated.js';
import { checkConfig } from '../talkback/check-config.js';
import { inProcessInstance } from '../talkback/in-process-instance.js';
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
  const typed = (options.contract ?? contract) as C;
  // The config is the caller's: refused (naming the field) before any plugin code runs.
  checkConfig(pkg.name, typed, options.config);
  const startTimeout = options.startTimeout ?? DEFAULT_START_TIMEOUT_MS;

  if (runtime === 'in-process') {
    // The import cannot be stopped once begun: past the timeout (or an abort) the host only
    // stops waiting for it, and the plugin is never handed out.
    const { value, exportNames } = await withDeadline(
      importInProcess(pkg, resolveEntry(pkg)),
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

  if (runtime === 'go-plugin') {
    // Imported lazily, like gRPC itself, so that hosts without go-plugin plugins never load it.
    const { startGoPlugin } = await import('../runtimes/go-plugin/index.js');
    // Its gRPC services are generated from the contract: a method it lacks answers UNIMPLEMENTED.
    // With the versions option, the plugin's choice in its handshake picks the contract.
    const started = await startGoPlugin(pkg, typed, options);
    if (signal?.aborted) {
      await started.connection.close();
      checkAborted();
    }
    const handle = supervisedHandle(
      pkg,
      started.contract as C,
      'process',
      undefined,
      started.connection,
      started.restart,
      options,
      onClose,
    );
    return Object.defineProperty(handle, 'protocolVersion', {
      value: started.protocolVersion,
      enumerable: true,
    });
  }

  const entry =
    pkg.manifest.command === undefined ? resolveIsolateEntry(pkg) : pkg.manifest.command.join(' ');
  const started = await startIsolated(pkg, entry, isolation as 'worker' | 'process', options, sandbox, typed);
  try {
    conform(pkg, contract, remoteExport(started.shape), [...started.shape.exportNames]);
    checkAborted();
  } catch (error) {
    await started.connection.close();
    throw error;
  }
  return supervisedHandle(
    pkg,
    typed,
    isolation,
    started.shape.stamp,
    started.connection,
    started.restart,
    options,
    onClose,
  );
}
