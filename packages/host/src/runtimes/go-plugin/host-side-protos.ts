import type { MethodDefinition } from '@grpc/proto-loader';
import type { GrpcModules } from './grpc-modules.js';

export type AnyStreamMethod = MethodDefinition<object, object>;

/** One chunk of a plugin's stdout or stderr (go-plugin's plugin.StdioData). */
export interface StdioData {
  readonly channel: 'INVALID' | 'STDOUT' | 'STDERR' | number;
  readonly data: Buffer;
}

/** Where one brokered connection listens (go-plugin's plugin.ConnInfo). */
export interface ConnInfo {
  readonly service_id: number;
  readonly network: string;
  readonly address: string;
}

/**
 * go-plugin's GRPCStdio and GRPCBroker services (internal/plugin/grpc_stdio.proto and
 * grpc_broker.proto, the same since go-plugin 1.0/1.3), as protobufjs JSON for the same reason as
 * go-plugin-protos.ts: fixed by go-plugin, tiny, and no files to ship and locate.
 */
const SERVICES = {
  nested: {
    google: { nested: { protobuf: { nested: { Empty: { fields: {} } } } } },
    plugin: {
      nested: {
        StdioData: {
          fields: { channel: { type: 'Channel', id: 1 }, data: { type: 'bytes', id: 2 } },
          nested: { Channel: { values: { INVALID: 0, STDOUT: 1, STDERR: 2 } } },
        },
        GRPCStdio: {
          methods: {
            StreamStdio: {
              requestType: 'google.protobuf.Empty',
              responseType: 'StdioData',
              responseStream: true,
            },
          },
        },
        ConnInfo: {
          fields: {
            service_id: { type: 'uint32', id: 1 },
            network: { type: 'string', id: 2 },
            address: { type: 'string', id: 3 },
          },
        },
        GRPCBroker: {
          methods: {
            StartStream: {
              requestType: 'ConnInfo',
              responseType: 'ConnInfo',
              requestStream: true,
              responseStream: true,
            },
          },
        },
      },
    },
  },
};

export interface HostSideServices {
  readonly streamStdio: AnyStreamMethod;
  readonly startStream: AnyStreamMethod;
}

let loaded: HostSideServices | undefined;

export function hostSideServices({ protoLoader }: GrpcModules): HostSideServices {
  if (loaded) return loaded;
  const definition = protoLoader.fromJSON(SERVICES as Parameters<typeof protoLoader.fromJSON>[0], {
    keepCase: true,
    defaults: true,
    enums: String,
  });
  const service = (name: string) => definition[name] as Record<string, AnyStreamMethod>;
  loaded = {
    streamStdio: service('plugin.GRPCStdio').StreamStdio!,
    startStream: service('plugin.GRPCBroker').StartStream!,
  };
  return loaded;
}
