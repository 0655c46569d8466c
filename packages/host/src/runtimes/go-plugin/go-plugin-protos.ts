import { createRequire } from 'node:module';
import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import { type AnyContract, PluginError } from '@x/contract';
import type { GrpcModules } from './grpc-modules.js';

export type AnyMethod = MethodDefinition<object, object>;

export interface GoPluginServices {
  /** Each contract method's rpc, by the contract's method name. */
  readonly methods: Readonly<Record<string, AnyMethod>>;
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

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function method(definition: PackageDefinition, service: string, rpc: string): AnyMethod | undefined {
  const found = definition[service] as Record<string, AnyMethod> | undefined;
  return found?.[rpc];
}

/**
 * Loads the contract's gRPC service from `@x/contract/proto/<contract>.proto` (package
 * `x.<contract>.v1`, service `<Contract>`) and checks it has one rpc per contract method, named in
 * PascalCase, whose request fields are the method's parameters.
 */
export function loadServices(
  { protoLoader }: GrpcModules,
  plugin: string,
  contract: AnyContract,
): GoPluginServices {
  let definition: PackageDefinition;
  const serviceName = `x.${contract.name}.v1.${pascal(contract.name)}`;
  try {
    const file = createRequire(import.meta.url).resolve(`@x/contract/proto/${contract.name}.proto`);
    definition = protoLoader.loadSync(file, LOADER_OPTIONS);
  } catch (error) {
    throw new PluginError({
      code: 'ERR_PLUGIN_INCOMPATIBLE',
      plugin,
      what: `Plugin "${plugin}" is a go-plugin plugin for the "${contract.name}" contract, which has no gRPC definition.`,
      why: `@x/contract ships no proto/${contract.name}.proto that could be loaded (${(error as Error).message}).`,
      fix: 'Use go-plugin plugins for a contract with a .proto in @x/contract (greeter), or add one.',
      cause: error,
    });
  }
  const methods: Record<string, AnyMethod> = {};
  for (const [name, spec] of Object.entries(contract.methods)) {
    const rpc = method(definition, serviceName, pascal(name));
    const fields = (rpc?.requestType.type as { field?: { name: string }[] } | undefined)?.field?.map(
      (f) => f.name,
    );
    const params = spec.params.map((p) => p.name);
    if (rpc === undefined || fields?.join() !== params.join()) {
      throw new PluginError({
        code: 'ERR_PLUGIN_CONTRACT',
        plugin,
        what: `The gRPC definition of the "${contract.name}" contract does not match the contract.`,
        why: `${serviceName}/${pascal(name)} should exist and take (${params.join(', ')}).`,
        fix: `Fix @x/contract's proto/${contract.name}.proto to match the contract.`,
      });
    }
    methods[name] = rpc;
  }
  const builtin = protoLoader.fromJSON(
    GO_PLUGIN_SERVICES as Parameters<typeof protoLoader.fromJSON>[0],
    LOADER_OPTIONS,
  );
  return {
    methods,
    healthCheck: method(builtin, 'grpc.health.v1.Health', 'Check')!,
    shutdown: method(builtin, 'plugin.GRPCController', 'Shutdown')!,
  };
}
