import type { Client, ServiceError } from '@grpc/grpc-js';
import type { AnyContract } from '@x/contract';
import { type CallOptions, timedOut } from '../client.js';
import { closed as closedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PluginPackage } from '../manifest.js';
import { handleBase, type PluginHandle } from '../plugin-handle.js';
import { connect, unary } from './connect.js';
import { loadServices } from './go-plugin-protos.js';
import { callError, crashed, isUnavailable } from './grpc-errors.js';
import { loadGrpcModules } from './grpc-modules.js';
import { startGoProcess } from './start-process.js';
import { CLOSE_GRACE_MS, exitedWithin, stopGoProcess } from './stop-process.js';

export interface GoLoadOptions {
  readonly logger: Logger;
  /** How long the plugin has to print its handshake and pass its health check (go-plugin's StartTimeout). */
  readonly startTimeout?: number;
}

/** go-plugin's own default StartTimeout. */
export const DEFAULT_START_TIMEOUT_MS = 60_000;

/**
 * Starts a hashicorp/go-plugin gRPC plugin and wraps it in the same typed handle as any other
 * plugin: `await handle.plugin.greet('World')` becomes the unary rpc `Greet({ name: 'World' })`.
 */
export async function loadGoPlugin<C extends AnyContract>(
  pkg: PluginPackage,
  contract: C,
  { logger, startTimeout = DEFAULT_START_TIMEOUT_MS }: GoLoadOptions,
): Promise<PluginHandle<C>> {
  const modules = await loadGrpcModules(pkg.name);
  const services = loadServices(modules, pkg.name, contract);
  const proc = await startGoProcess(pkg, logger, startTimeout);
  let client: Client;
  try {
    client = await connect(modules, pkg.name, proc.handshake, services.healthCheck, startTimeout);
  } catch (error) {
    await stopGoProcess(proc, pkg.name, logger, undefined);
    throw error;
  }
  let isClosed = false;
  // Calls in flight, failed at once when the process dies rather than when gRPC notices.
  const pending = new Set<(error: Error) => void>();
  proc.exited.then((exit) => {
    if (!isClosed)
      logger.log('error', `exited (${exit.signal ?? `code ${exit.code}`})`, { plugin: pkg.name });
    for (const fail of pending) fail(isClosed ? closedError(pkg.name) : crashed(pkg.name, undefined, exit));
  });

  const invoke = async (method: string, args: unknown[], { signal, timeout }: CallOptions) => {
    if (isClosed) throw closedError(pkg.name);
    if (proc.hasExited()) throw crashed(pkg.name, method, await proc.exited);
    if (signal?.aborted) throw timedOut(pkg.name, method, undefined);
    const params = contract.methods[method]!.params;
    const deadline = timeout === undefined ? undefined : Date.now() + timeout;
    const request = Object.fromEntries(params.map((p, i) => [p.name, args[i]]));
    let cancel = () => {};
    const onAbort = () => cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let failPending: (error: Error) => void = () => {};
    const died = new Promise<never>((_, reject) => {
      failPending = reject;
      pending.add(reject);
    });
    try {
      const call = unary(client, services.methods[method]!, request, deadline, (c) => {
        cancel = c;
      });
      const response = await Promise.race([call, died]).catch(async (error: unknown) => {
        if (!isGrpcError(error)) throw error;
        // A dead plugin's socket fails calls a moment before Node reaps the process: wait for
        // the exit, briefly, to tell a crash from a plugin that answered with an error.
        if (isUnavailable(error) && !signal?.aborted) {
          if (await exitedWithin(proc, CLOSE_GRACE_MS)) {
            throw isClosed ? closedError(pkg.name) : crashed(pkg.name, method, await proc.exited);
          }
        }
        // A plugin whose own context expired may answer first, with any status: the caller's
        // deadline or abort is still why the call failed.
        if (signal?.aborted) throw timedOut(pkg.name, method, undefined);
        if (deadline !== undefined && Date.now() >= deadline) throw timedOut(pkg.name, method, timeout);
        throw callError(pkg.name, method, error, timeout);
      });
      // Each rpc answers one message whose one field is the method's result (none for void).
      return Object.values(response)[0];
    } finally {
      cancel();
      signal?.removeEventListener('abort', onAbort);
      pending.delete(failPending);
    }
  };
  let closing: Promise<void> | undefined;
  return {
    ...handleBase(pkg, contract, 'process', undefined, invoke),
    close() {
      isClosed = true;
      closing ??= stopGoProcess(proc, pkg.name, logger, () =>
        unary(client, services.shutdown, {}, Date.now() + CLOSE_GRACE_MS),
      ).finally(() => client.close());
      return closing;
    },
    get closed() {
      return isClosed;
    },
  };
}

function isGrpcError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as ServiceError).code === 'number' && 'details' in error;
}
