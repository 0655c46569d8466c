import type * as GrpcJs from '@grpc/grpc-js';
import type * as ProtoLoader from '@grpc/proto-loader';
import { PluginError } from '@x/contract';

export interface GrpcModules {
  readonly grpc: typeof GrpcJs;
  readonly protoLoader: typeof ProtoLoader;
}

let modules: Promise<GrpcModules> | undefined;

/**
 * Imports @grpc/grpc-js and @grpc/proto-loader on first use, so that a host that never loads a
 * go-plugin plugin never pays for them (they are most of @x/host's install and start-up weight).
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
      what: `Plugin "${plugin}" is a go-plugin plugin, and @grpc/grpc-js could not be loaded to speak to it.`,
      why: (error as Error).message,
      fix: 'Reinstall @x/host with its dependencies (npm install @x/host).',
      cause: error,
    });
  });
}
