import type { Client } from '@grpc/grpc-js';
import { type AnyContract, PluginError } from '@x/contract';
import type { Connection, ExitInfo, StartConnection } from '../../core/connection.js';
import { settlesWithin } from '../../core/settles-within.js';
import { reverifyIntegrity } from '../../load/verify-integrity.js';
import type { PluginPackage } from '../../manifest.js';
import type { GoPluginVersion } from '../../options/go-plugin-options.js';
import { DEFAULT_GO_START_TIMEOUT_MS, type ResolvedLoadOptions } from '../../options/resolve-load-options.js';
import { hostCaller } from '../../talkback/host-functions.js';
import { agreeTls, offerClientCert } from './auto-mtls.js';
import { startBroker } from './broker.js';
import { brokeredHostService, type Done, withBrokerSession } from './broker-calls.js';
import { connect, unary } from './connect.js';
import { type GoPluginServices, loadServices, rawMethod } from './go-plugin-protos.js';
import { callError, isUnavailable } from './grpc-errors.js';
import { loadGrpcModules } from './grpc-modules.js';
import { type GrpcStatusError, openUnaryLane } from './h2-unary.js';
import type { GoHandshake } from './handshake.js';
import type { HostService } from './host-service.js';
import { hostSideServices } from './host-side-protos.js';
import type { MutualTls } from './mtls.js';
import { attachGoPlugin } from './reattach.js';
import { serverStream } from './server-stream.js';
import { startGoProcess } from './start-process.js';
import { forwardGrpcStdio } from './stdio.js';
import { CLOSE_GRACE_MS, stopGoProcess } from './stop-process.js';

/** What the connection needs of a running plugin, started by the host or reattached to. */
interface Running {
  readonly pid: number;
  readonly handshake: GoHandshake;
  readonly exited: Promise<ExitInfo>;
  stderrTail(): readonly string[];
  /** Ends it (a started plugin) or only lets go of it (a reattached one). */
  stop(shutdown: (() => Promise<unknown>) | undefined): Promise<void>;
}

/** What startGoPlugin gives the load pipeline: the first connection, and what the plugin chose. */
export interface StartedGoPlugin {
  readonly connection: Connection;
  readonly restart: StartConnection;
  /** The app protocol version the plugin chose from those offered. */
  readonly protocolVersion: number;
  /** The contract of that version (the versions option), which the handle is typed by. */
  readonly contract: AnyContract;
}

/**
 * The go-plugin runtime: starts a hashicorp/go-plugin gRPC binary (or reattaches to a running
 * one) and connects to it, as a connection the same supervisor and call pipeline as any other
 * plugin's work with: `await handle.plugin.get('k')` becomes the unary rpc `Get({ key: 'k' })`.
 * Every offered version's service is loaded and checked against its contract before anything
 * starts; the plugin's choice in its handshake picks one.
 */
export async function startGoPlugin(
  pkg: PluginPackage,
  contract: AnyContract,
  options: ResolvedLoadOptions,
): Promise<StartedGoPlugin> {
  const modules = await loadGrpcModules(pkg.name);
  const byVersion = new Map<
    number,
    {
      contract: AnyContract;
      services: GoPluginServices;
      /** The contract's host functions, served through go-plugin's GRPCBroker (xPlugin.broker). */
      hostService: HostService | undefined;
      /** Each rpc's method object, made once rather than per call. */
      raw: Readonly<Record<string, ReturnType<typeof rawMethod>>>;
    }
  >();
  const versions =
    options.versions ?? new Map<number, GoPluginVersion>([[pkg.manifest.handshake!.protocolVersion, {}]]);
  for (const [version, spec] of versions) {
    const own = spec.contract ?? contract;
    // The service, its mapping and the check that it fits the contract: all before anything starts.
    const service = {
      proto: spec.proto ?? pkg.manifest.proto,
      service: spec.service ?? pkg.manifest.service,
    };
    const services = loadServices(modules, pkg.name, pkg.dir, own, service);
    byVersion.set(version, {
      contract: own,
      services,
      hostService: brokeredHostService(pkg, own, options, service),
      raw: Object.fromEntries(
        Object.entries(services.mapping.methods).map(([method, rpc]) => [method, rawMethod(rpc.path)]),
      ),
    });
  }
  const offered = [...byVersion.keys()];
  const startTimeout = options.startTimeout ?? DEFAULT_GO_START_TIMEOUT_MS;
  const { logger, reattach } = options;
  if (reattach !== undefined && options.given.has('env')) {
    throw new PluginError({
      code: 'ERR_PLUGIN_LOAD',
      plugin: pkg.name,
      what: `Plugin "${pkg.name}" cannot be given the "env" option while reattached.`,
      why: 'With reattach the host connects to a plugin that is already running; it starts nothing, so there is no environment to set.',
      fix: 'Remove env, or start the plugin with that environment yourself.',
      details: { option: 'env' },
    });
  }
  let chosen: number | undefined;

  // A new certificate for every start, as go-plugin's client makes one per NewClient; none for a
  // plugin the host did not start (reattach), which was never offered one.
  let clientCert: ReturnType<typeof offerClientCert>;
  const run = async (): Promise<Running> => {
    clientCert = reattach === undefined ? offerClientCert(options.autoMTLS) : undefined;
    if (reattach !== undefined) {
      const attached = attachGoPlugin(pkg.name, reattach, offered);
      return {
        ...attached,
        stderrTail: () => [],
        async stop() {
          attached.detach();
        },
      };
    }
    const proc = await startGoProcess(
      pkg,
      logger,
      startTimeout,
      options.env,
      options.signal,
      offered,
      clientCert?.certPem,
    );
    return {
      ...proc,
      stderrTail: proc.stderrTail,
      stop: (shutdown) => stopGoProcess(proc, pkg.name, logger, shutdown),
    };
  };

  const start: StartConnection = async () => {
    const proc = await run();
    const version = proc.handshake.appProtocolVersion;
    const { services, hostService, raw, contract: own } = byVersion.get(version)!;
    let client: Client;
    let tls: MutualTls | undefined;
    try {
      // A restarted plugin must serve the version the handle was typed by.
      if (chosen !== undefined && version !== chosen) throw versionChanged(pkg.name, chosen, version);
      tls = agreeTls(pkg.name, clientCert, proc.handshake, options.autoMTLS);
      client = await connect(modules, pkg.name, proc.handshake, services.healthCheck, startTimeout, tls);
    } catch (error) {
      await proc.stop(undefined);
      throw error;
    }
    chosen = version;
    logger.log(
      'debug',
      tls === undefined ? 'connected over plain gRPC' : 'connected over mutual TLS (AutoMTLS)',
      { plugin: pkg.name, pid: proc.pid },
    );
    // The contract's unary calls go on a bare HTTP/2 session of their own (h2-unary.ts: grpc-js
    // cost ~40% of a call); grpc-js keeps the health checks, Shutdown, streams, stdio and broker.
    const lane = openUnaryLane(proc.handshake, tls);
    // go-plugin >= 1.3 sends the plugin's stdout/stderr here, not to the pipes (which stay read too).
    const stopStdio = forwardGrpcStdio(client, hostSideServices(modules), logger, pkg.name);
    const send = (method: string, request: Uint8Array, done: Done, timeout: number | undefined) => {
      const rpc = services.mapping.methods[method]!;
      let cancel = () => {};
      // The deadline travels to the plugin too, so that its context ends with the caller's wait.
      lane
        .call(raw[method]!.path, request, timeout === undefined ? undefined : Date.now() + timeout, (c) => {
          cancel = c;
        })
        .then(
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
          async (error: GrpcStatusError) => {
            // A dead plugin's socket fails calls a moment before Node reaps the process: wait for
            // the exit, briefly; if it comes, the supervisor fails the call as ERR_PLUGIN_CRASHED.
            if (isUnavailable(error) && (await settlesWithin(proc.exited, CLOSE_GRACE_MS))) return;
            done(callError(pkg.name, method, error, timeout));
          },
        );
      return () => cancel();
    };
    const broker =
      hostService === undefined
        ? undefined
        : startBroker(
            modules,
            client,
            hostSideServices(modules),
            hostService,
            hostCaller(pkg.name, own, options.host, options.hostTimeout),
            { plugin: pkg.name, logger, tls },
          );
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
      openStream(method, args) {
        const rpc = services.mapping.methods[method]!;
        // Throws (the caller's fault, nothing sent) when an argument does not fit: the first next() rejects.
        return serverStream(client, pkg.name, method, rpc, rpc.encode(args));
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
        // A reattached plugin is not the host's to end: no Shutdown, no signal, only the socket closed.
        closing ??= proc
          .stop(
            reattach === undefined
              ? () => unary(client, services.shutdown, {}, Date.now() + CLOSE_GRACE_MS)
              : undefined,
          )
          .finally(() => {
            stopStdio();
            lane.close();
            broker?.close();
            client.close();
          });
        return closing;
      },
    };
  };
  const restart: StartConnection = () => {
    if (reattach !== undefined) return Promise.reject(cannotRestart(pkg.name, reattach.pid));
    reverifyIntegrity(pkg, options); // a restart runs the binary again: it must still match the pin
    return start();
  };
  const connection = await start();
  return { connection, restart, protocolVersion: chosen!, contract: byVersion.get(chosen!)!.contract };
}

function versionChanged(plugin: string, was: number, now: number): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_HANDSHAKE',
    plugin,
    what: `Plugin "${plugin}" restarted with app protocol version ${now}, not ${was} as before.`,
    why: 'The handle was typed by the contract of the version the plugin chose first, and cannot change under its callers.',
    fix: 'Load the plugin again (a new handle) after replacing its binary, or offer only one version.',
    details: { was, now },
  });
}

function cannotRestart(plugin: string, pid: number): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CRASHED',
    plugin,
    what: `Plugin "${plugin}" (reattached to pid ${pid}) exited, and the host cannot restart it.`,
    why: 'The host did not start it (the reattach option), so it does not know how to start it again.',
    fix: 'Start the plugin again yourself and reattach to it, or load it without reattach.',
    details: { pid },
  });
}
