import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Client,
  ClientDuplexStream,
  Server,
  ServerUnaryCall,
  ServiceError,
  sendUnaryData,
} from '@grpc/grpc-js';
import { PluginError } from '@x/contract';
import { reapDir } from '../../core/reaper.js';
import type { Logger } from '../../logger.js';
import type { HostCaller } from '../../talkback/host-functions.js';
import type { GrpcModules } from './grpc-modules.js';
import type { HostService } from './host-service.js';
import type { ConnInfo, HostSideServices } from './host-side-protos.js';
import { type MutualTls, serverCredentials } from './mtls.js';
import { ValueProblem } from './proto/field-codec.js';

// gRPC status codes (grpc.status), inlined as in grpc-errors.ts.
const CANCELLED = 1;
const UNKNOWN = 2;
const INVALID_ARGUMENT = 3;
const DEADLINE_EXCEEDED = 4;
const UNIMPLEMENTED = 12;

/** One brokered connection the host serves for one call: its id, and how to end it with that call. */
export interface BrokerSession {
  readonly id: number;
  /** The host's own refusals (ERR_PLUGIN_HOST_FUNCTION…) answered on it, which the plugin may hand back as its call's error. */
  readonly hostErrors: readonly PluginError[];
  stop(): void;
}

export interface HostBroker {
  readonly plugin: string;
  /** Serves the host service on a new brokered connection and tells the plugin its id (as go-plugin's AcceptAndServe). */
  accept(): Promise<BrokerSession>;
  close(): void;
}

const raw = (b: Buffer) => b;

/** A host function's failure as the gRPC status the plugin's broker.Dial'd client sees. */
function statusOf(error: unknown): { code: number; details: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ValueProblem) return { code: INVALID_ARGUMENT, details: message };
  if (PluginError.isInstance(error)) {
    const code =
      error.code === 'ERR_PLUGIN_TIMEOUT'
        ? DEADLINE_EXCEEDED
        : error.code === 'ERR_PLUGIN_ABORTED'
          ? CANCELLED
          : // Refused (not declared, not implemented) or its arguments refused: the caller's fault.
            error.code === 'ERR_PLUGIN_HOST_FUNCTION' && /did not implement|does not declare/.test(error.what)
            ? UNIMPLEMENTED
            : error.code === 'ERR_PLUGIN_HOST_FUNCTION'
              ? INVALID_ARGUMENT
              : UNKNOWN;
    return { code, details: `${error.what} ${error.why}` };
  }
  // The host function's own error: its message, as a Go host's error would reach the plugin.
  return { code: UNKNOWN, details: message };
}

/**
 * The host's side of go-plugin's GRPCBroker (grpc_broker.go): the StartStream stream that carries
 * ConnInfo both ways, opened at connect as go-plugin's client does, and, for each plugin call
 * whose request carries a broker id, a gRPC server of the host service on a socket of its own
 * (mutual TLS when the main connection is). The plugin's `broker.Dial(id)`
 * connects there; the server, and any host function still running on it, ends with that call.
 */
export function startBroker(
  modules: GrpcModules,
  client: Client,
  services: HostSideServices,
  host: HostService,
  callHost: HostCaller,
  where: { plugin: string; logger: Logger; tls: MutualTls | undefined },
): HostBroker {
  const { grpc } = modules;
  const { plugin, logger } = where;
  const stream: ClientDuplexStream<ConnInfo, ConnInfo> = client.makeBidiStreamRequest(
    services.startStream.path,
    services.startStream.requestSerialize as (v: ConnInfo) => Buffer,
    services.startStream.responseDeserialize as (b: Buffer) => ConnInfo,
  );
  let broken: string | undefined;
  // The plugin's own Accept()s (connections it serves to the host): no contract calls them.
  stream.on('data', (info: ConnInfo) =>
    logger.log('debug', `the plugin offered brokered connection ${info.service_id}; nothing dials it`, {
      plugin,
    }),
  );
  stream.on('error', (error: ServiceError) => {
    broken = error.details || error.message;
    if (error.code !== CANCELLED) logger.log('warn', `the GRPCBroker stream failed: ${broken}`, { plugin });
  });
  let nextId = 0;
  // A folder of the host's own for the sockets (a reattached plugin has no TMPDIR the host made);
  // removed on close, or by the reaper if the host dies first.
  let dir: string | undefined;
  const socketDir = () => {
    if (dir === undefined) {
      dir = mkdtempSync(join(tmpdir(), 'x-go-broker-'));
      reapDir(dir);
    }
    return dir;
  };
  const sessions = new Set<BrokerSession>();

  const handlersFor = (hostErrors: PluginError[]) =>
    Object.fromEntries(
      host.rpcs.map((rpc) => [
        rpc.rpc,
        (call: ServerUnaryCall<Buffer, Buffer>, done: sendUnaryData<Buffer>) => {
          let args: unknown[];
          try {
            args = rpc.decodeArgs(call.request);
          } catch (error) {
            done(statusOf(error) as ServiceError);
            return;
          }
          // Cancelled with the plugin's call to the host, and (session.stop) with the host's call to the plugin.
          const abort = new AbortController();
          call.on('cancelled', () => abort.abort());
          callHost(rpc.fn, args, abort.signal).then(
            (value) => {
              try {
                done(null, Buffer.from(rpc.encodeResult(value)));
              } catch (error) {
                done(statusOf(error) as ServiceError);
              }
            },
            (error: unknown) => {
              if (PluginError.isInstance(error)) hostErrors.push(error);
              done(statusOf(error) as ServiceError);
            },
          );
        },
      ]),
    );
  const definition = Object.fromEntries(
    host.rpcs.map((rpc) => [
      rpc.rpc,
      {
        path: `/${host.service}/${rpc.rpc}`,
        requestStream: false,
        responseStream: false,
        requestDeserialize: raw,
        requestSerialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
      },
    ]),
  );

  return {
    plugin,
    async accept() {
      if (broken !== undefined) {
        throw new PluginError({
          code: 'ERR_PLUGIN_CALL',
          plugin,
          what: `Plugin "${plugin}" cannot be given the host's functions: its GRPCBroker stream is gone.`,
          why: broken,
          fix: "Serve the plugin with go-plugin's plugin.Serve and a GRPCServer (it serves the broker itself).",
        });
      }
      const id = ++nextId;
      const socket = join(socketDir(), `broker-${id}.sock`);
      const server: Server = new grpc.Server();
      const hostErrors: PluginError[] = [];
      server.addService(definition, handlersFor(hostErrors));
      const credentials =
        where.tls === undefined
          ? grpc.ServerCredentials.createInsecure()
          : serverCredentials(modules, where.tls);
      await new Promise<void>((ok, fail) =>
        server.bindAsync(`unix:${socket}`, credentials, (error) => (error ? fail(error) : ok())),
      );
      const session: BrokerSession = {
        id,
        hostErrors,
        stop() {
          if (!sessions.delete(session)) return;
          // Ends the host functions it runs too: their calls are cancelled, their signals fire.
          server.forceShutdown();
          rmSync(socket, { force: true });
        },
      };
      sessions.add(session);
      stream.write({ service_id: id, network: 'unix', address: socket });
      return session;
    },
    close() {
      for (const session of [...sessions]) session.stop();
      stream.cancel();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
