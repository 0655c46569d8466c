import type * as GrpcJs from '@grpc/grpc-js';
import type * as ProtoLoader from '@grpc/proto-loader';
import { PluginError } from '@x/contract';

export interface GrpcModules {
  readonly grpc: typeof GrpcJs;
  readonly protoLoader: typeof ProtoLoader;
}

let modules: Promise<GrpcModules> | undefined;

/**
 * Imports @grpc/grpc-js and @grpc/proto-loader on first use. They are optional peer dependencies of
 * @x/host: a host that never loads a go-plugin plugin neither installs them (protobufjs' install
 * script made `pnpm add @x/host` fail under pnpm's default build policy) nor pays for them at
 * start-up (they are most of what @x/host would otherwise weigh).
 */
export function loadGrpcModules(plugin: string): Promise<GrpcModules> {
  modules ??= Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]).then(
    ([grpc, protoLoader]) => ({ grpc, protoLoader }),
  );
  return modules.catch((error: unknown) => {
    modules = undefined;
    throw new PluginError({
      code: 'ERR_PLUGIN_LOAD',
      plugin,
      what: `Plugin "${plugin}" is a go-plugin plugin, and gRPC could not be loaded to speak to it.`,
      why: `@grpc/grpc-js and @grpc/proto-loader are optional peer dependencies of @x/host, installed only by hosts that run go-plugin plugins: ${(error as Error).message}`,
      fix: 'Install them beside @x/host: npm install @grpc/grpc-js @grpc/proto-loader',
      cause: error,
    });
  });
}
