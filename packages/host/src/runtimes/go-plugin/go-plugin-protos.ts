import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import type { AnyContract } from '@x/contract';
import type { GrpcModules } from './grpc-modules.js';
import { loadService, mapService, type ServiceMapping, type ServiceSpec } from './proto/index.js';

export type AnyMethod = MethodDefinition<object, object>;

export interface GoPluginServices {
  /** Each contract method's rpc, by the contract's method name, with how its values cross. */
  readonly mapping: ServiceMapping;
  readonly healthCheck: AnyMethod;
  readonly shutdown: AnyMethod;
}

/**
 * The two go-plugin services the host calls besides the plugin's own: grpc.health.v1 (go-plugin
 * registers it as "plugin") and go-plugin's GRPCController. They are written here as protobufjs
 * JSON rather than shipped as .proto files because they are fixed by go-plugin and tiny, and this
 * spares the build from copying and locating files.
 */
const GO_PLUGIN_SERVICES = {
  nested: {
    grpc: {
      nested: {
        health: {
          nested: {
            v1: {
              nested: {
                HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
                HealthCheckResponse: {
                  fields: { status: { type: 'ServingStatus', id: 1 } },
                  nested: {
                    ServingStatus: { values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } },
                  },
                },
                Health: {
                  methods: {
                    Check: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse' },
                  },
                },
              },
            },
          },
        },
      },
    },
    plugin: {
      nested: {
        Empty: { fields: {} },
        GRPCController: { methods: { Shutdown: { requestType: 'Empty', responseType: 'Empty' } } },
      },
    },
  },
};

const LOADER_OPTIONS = { keepCase: true, defaults: true, longs: String, enums: String } as const;

function method(definition: PackageDefinition, service: string, rpc: string): AnyMethod | undefined {
  const found = definition[service] as Record<string, AnyMethod> | undefined;
  return found?.[rpc];
}

/**
 * A method whose messages are already bytes: the mapping (proto/rpc-mapping.ts) encodes and
 * decodes them itself, so that a value that does not fit is blamed on the right side rather than
 * surfacing from inside gRPC as the plugin's INTERNAL error.
 */
export function rawMethod(path: string): AnyMethod {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    responseDeserialize: (bytes: Buffer) => bytes,
    originalName: path,
    requestType: undefined as never,
    responseType: undefined as never,
  } as unknown as AnyMethod;
}

/**
 * Loads the plugin's gRPC service (its manifest's `proto` + `service`, or the built-in contract's
 * .proto), maps the contract's methods onto its rpcs and checks they fit, all before the plugin
 * starts; and the go-plugin services every plugin has.
 */
export function loadServices(
  { protoLoader }: GrpcModules,
  plugin: string,
  packageDir: string,
  contract: AnyContract,
  spec: ServiceSpec,
): GoPluginServices {
  const { service } = loadService(plugin, packageDir, contract, spec);
  const mapping = mapService(plugin, contract, service);
  const builtin = protoLoader.fromJSON(
    GO_PLUGIN_SERVICES as Parameters<typeof protoLoader.fromJSON>[0],
    LOADER_OPTIONS,
  );
  return {
    mapping,
    healthCheck: method(builtin, 'grpc.health.v1.Health', 'Check')!,
    shutdown: method(builtin, 'plugin.GRPCController', 'Shutdown')!,
  };
}
