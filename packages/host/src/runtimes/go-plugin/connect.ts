import type { ChannelCredentials, Client, ServiceError } from '@grpc/grpc-js';
import { PluginError } from '@x/contract';
import type { AnyMethod } from './go-plugin-protos.js';
import type { GrpcModules } from './grpc-modules.js';
import type { GoHandshake } from './handshake.js';
import { clientCredentials, type MutualTls, TLS_CHANNEL_OPTIONS } from './mtls.js';

/** Sends one unary request and answers with the response, or the gRPC error. */
export function unary(
  client: Client,
  method: AnyMethod,
  request: object,
  deadline: number | undefined,
  onCall?: (cancel: () => void) => void,
): Promise<object> {
  return new Promise((resolve, reject) => {
    const call = client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      deadline === undefined ? {} : { deadline },
      (error: ServiceError | null, response?: object) => {
        if (error) reject(error);
        else resolve(response ?? {});
      },
    );
    onCall?.(() => call.cancel());
  });
}

/**
 * Connects to the address a go-plugin server named in its handshake, then asks its gRPC health
 * service about "plugin" as go-plugin's Ping() does: SERVING, or the plugin is not usable.
 */
export async function connect(
  modules: GrpcModules,
  plugin: string,
  handshake: GoHandshake,
  healthCheck: AnyMethod,
  timeout: number,
  tls?: MutualTls,
): Promise<Client> {
  const { grpc } = modules;
  const target = handshake.network === 'unix' ? `unix:${handshake.address}` : handshake.address;
  const credentials: ChannelCredentials =
    tls === undefined ? grpc.credentials.createInsecure() : clientCredentials(modules, tls);
  // No proxy: the plugin is local, and an http_proxy in the environment must not reroute it.
  const client = new grpc.Client(target, credentials, {
    'grpc.enable_http_proxy': 0,
    // Off for a local peer, since they cost each call (the go-plugin bench's profile): retries
    // buffer every message for a replay that a local socket never needs, and channelz records
    // every call for a debugger nobody attached.
    'grpc.enable_retries': 0,
    'grpc.enable_channelz': 0,
    ...(tls === undefined ? {} : TLS_CHANNEL_OPTIONS),
  });
  try {
    const answer = (await unary(client, healthCheck, { service: 'plugin' }, Date.now() + timeout)) as {
      status?: string;
    };
    if (answer.status !== 'SERVING') throw new Error(`the health service answered ${answer.status}`);
    return client;
  } catch (error) {
    client.close();
    const reason = (error as ServiceError).details ?? (error as Error).message;
    throw new PluginError({
      code: 'ERR_PLUGIN_HANDSHAKE',
      plugin,
      what: `Plugin "${plugin}" completed its go-plugin handshake but is not healthy at ${target}.`,
      why: `The gRPC health check of service "plugin" failed: ${reason}`,
      fix: "Serve the plugin with go-plugin's plugin.Serve and a GRPCServer: it registers the health service itself.",
      cause: error,
      details: { target },
    });
  }
}
