import type { Client, ServiceError } from '@grpc/grpc-js';
import type { AnyContract, PluginError } from '@x/contract';
import type { Connection, StartConnection } from '../../core/connection.js';
import { reverifyIntegrity } from '../../load/verify-integrity.js';
import type { PluginPackage } from '../../manifest.js';
import { DEFAULT_GO_START_TIMEOUT_MS, type ResolvedLoadOptions } from '../../options/resolve-load-options.js';
import { hostCaller } from '../../talkback/host-functions.js';
import { agreeTls, offerClientCert } from './auto-mtls.js';
import { startBroker } from './broker.js';
import { brokeredHostService, type Done, withBrokerSession } from './broker-calls.js';
import { connect, unary } from './connect.js';
import { loadServices, rawMethod } from './go-plugin-protos.js';
import { callError, isUnavailable } from './grpc-errors.js';
import { loadGrpcModules } from './grpc-modules.js';
import { hostSideServices } from './host-side-protos.js';
import type { MutualTls } from './mtls.js';
import { startGoProcess } from './start-process.js';
import { forwardGrpcStdio } from './stdio.js';
import { CLOSE_GRACE_MS, exitedWithin, stopGoProcess } from './stop-process.js';

/**
 * The go-plugin runtime: starts a hashicorp/go-plugin gRPC binary and connects to it, as a
 * connection the same supervisor and call pipeline as any other plugin's work with:
 * `await handle.plugin.greet('World')` becomes the unary rpc `Greet({ name: 'World' })`.
 * Returns the first connection and how to start another after a crash.
 */
export async function startGoPlugin(
  pkg: PluginPackage,
  contract: AnyContract,
  options: ResolvedLoadOptions,
): Promise<{ connection: Connection; restart: StartConnection }> {
  const modules = await loadGrpcModules(pkg.name);
  // The service, its mapping and the check that it fits the contract: all before anything starts.
  const services = loadServices(modules, pkg.name, pkg.dir, contract, pkg.manifest);
  // The contract's host functions, served through go-plugin's GRPCBroker (xPlugin.broker).
  const hostService = brokeredHostService(pkg, contract, options);
  const callHost = hostCaller(pkg.name, contract, options.host, options.hostTimeout);
  // Each rpc's method object, made once rather than per call.
  const raw = Object.fromEntries(
    Object.entries(services.mapping.methods).map(([method, rpc]) => [method, rawMethod(rpc.path)]),
  );
  const startTimeout = options.startTimeout ?? DEFAULT_GO_START_TIMEOUT_MS;
  const { logger } = options;

  const start: StartConnection = async () => {
    // A new certificate for every start, as go-plugin's client makes one per NewClient.
    const offered = offerClientCert(options.autoMTLS);
    const proc = await startGoProcess(
      pkg,
      logger,
      startTimeout,
      options.env,
      options.signal,
      offered?.certPem,
    );
    let client: Client;
    let tls: MutualTls | undefined;
    try {
      tls = agreeTls(pkg.name, offered, proc.handshake, options.autoMTLS);
      client = await connect(modules, pkg.name, proc.handshake, services.healthCheck, startTimeout, tls);
    } catch (error) {
      await stopGoProcess(proc, pkg.name, logger, undefined);
      throw error;
    }
    logger.log(
      'debug',
      tls === undefined ? 'connected over plain gRPC' : 'connected over mutual TLS (AutoMTLS)',
      {
        plugin: pkg.name,
        pid: proc.pid,
      },
    );
    // go-plugin >= 1.3 sends the plugin's stdout/stderr here, not to the pipes (which stay read too).
    const stopStdio = forwardGrpcStdio(client, hostSideServices(modules), logger, pkg.name);
    const send = (method: string, request: Uint8Array, done: Done, timeout: number | undefined) => {
      const rpc = services.mapping.methods[method]!;
      let cancel = () => {};
      // The deadline travels to the plugin too, so that its context ends with the caller's wait.
      unary(client, raw[method]!, request, timeout === undefined ? undefined : Date.now() + timeout, (c) => {
        cancel = c;
      }).then(
        (response) => {
          let result: unknown;
          try {
            result = rpc.decode(response as Uint8Array);
          } catch (error) {
            done(error as PluginError);
            return;
          }
          done(undefined, result);
        },
        async (error: ServiceError) => {
          // A dead plugin's socket fails calls a moment before Node reaps the process: wait for
          // the exit, briefly; if it comes, the supervisor fails the call as ERR_PLUGIN_CRASHED.
          if (isUnavailable(error) && (await exitedWithin(proc, CLOSE_GRACE_MS))) return;
          done(callError(pkg.name, method, error, timeout));
        },
      );
      return () => cancel();
    };
    const broker =
      hostService === undefined
        ? undefined
        : startBroker(modules, client, hostSideServices(modules), hostService, callHost, {
            plugin: pkg.name,
            tmpDir: proc.tmpDir,
            logger,
            tls,
          });
    let closing: Promise<void> | undefined;
    const exited = proc.exited.then((exit) => {
      if (closing === undefined)
        logger.log('error', `exited (${exit.signal ?? `code ${exit.code}`})`, { plugin: pkg.name });
      return exit;
    });
    return {
      pid: proc.pid,
      exited,
      send(method, args, done, timeout) {
        const rpc = services.mapping.methods[method]!;
        // Throws (the caller's fault, nothing sent) when an argument does not fit its field.
        const encoded = rpc.encode(args);
        const withId = hostService?.withId[method];
        if (withId !== undefined && broker !== undefined) {
          // The host's functions for this call, on a brokered connection whose id the request carries.
          return withBrokerSession(
            broker,
            tls !== undefined,
            done,
            (request, end) => send(method, request, end, timeout),
            (id) => withId(encoded, id),
          );
        }
        return send(method, encoded, done, timeout);
      },
      queuedBytes: () => 0,
      async ping(timeoutMs) {
        const answer = (await unary(
          client,
          services.healthCheck,
          { service: 'plugin' },
          Date.now() + timeoutMs,
        )) as {
          status?: string;
        };
        if (answer.status !== 'SERVING') throw new Error(`the health service answered ${answer.status}`);
        return { status: answer.status };
      },
      // go-plugin binaries are not tied to the host's event loop by anything but their pipes,
      // which forwardLines keeps; a call in flight holds the loop through gRPC's own socket.
      ref: () => {},
      unref: () => {},
      recentOutput: () => proc.stderrTail(),
      close() {
        closing ??= stopGoProcess(proc, pkg.name, logger, () =>
          unary(client, services.shutdown, {}, Date.now() + CLOSE_GRACE_MS),
        ).finally(() => {
          stopStdio();
          broker?.close();
          client.close();
        });
        return closing;
      },
    };
  };
  const restart: StartConnection = () => {
    reverifyIntegrity(pkg, options); // a restart runs the binary again: it must still match the pin
    return start();
  };
  return { connection: await start(), restart };
}
