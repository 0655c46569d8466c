import { realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { type AnyContract, PluginError } from '@x/contract';
import { loadProtoRoot, lookupKind, type ProtoService, serviceNames } from './reflection.js';
import { rpcName } from './rpc-mapping.js';

/** Which service a go-plugin plugin serves: its own (`xPlugin.proto` + `service`) or a built-in contract's. */
export interface ServiceSpec {
  /** The .proto file, relative to the plugin's package folder (validated by the manifest). */
  readonly proto?: string;
  /** The service's fully qualified name, `package.Service`. */
  readonly service?: string;
}

/**
 * Loads the gRPC service a go-plugin plugin serves. With `proto` and `service` (the manifest's, or
 * a protocol version's), that file inside the plugin's package, its imports found beside it or
 * from the package root (as `protoc -I <dir of the file> -I <package>`). Without them, as in
 * version 1, the built-in contract's own `@x/contract/proto/<contract>.proto` and its service
 * `x.<contract>.v1.<Contract>`.
 */
export function loadService(
  plugin: string,
  packageDir: string,
  contract: AnyContract,
  spec: ServiceSpec,
): { service: ProtoService; file: string } {
  let file: string;
  let includeDirs: string[];
  const own = spec.proto !== undefined;
  if (own) {
    file = ownProto(plugin, packageDir, spec.proto!);
    includeDirs = [dirname(file), packageDir];
  } else {
    try {
      file = createRequire(import.meta.url).resolve(`@x/contract/proto/${contract.name}.proto`);
    } catch (error) {
      throw new PluginError({
        code: 'ERR_PLUGIN_INCOMPATIBLE',
        plugin,
        what: `Plugin "${plugin}" is a go-plugin plugin for the "${contract.name}" contract, which has no gRPC definition.`,
        why: `Its manifest names no xPlugin.proto, and @x/contract ships no proto/${contract.name}.proto (${(error as Error).message}).`,
        fix: 'Name the plugin\'s own service in its manifest: "proto": "proto/<file>.proto" and "service": "<package>.<Service>" (docs/polyglot.md).',
        cause: error,
      });
    }
    includeDirs = [dirname(file)];
  }
  const serviceName = spec.service ?? `x.${contract.name}.v1.${rpcName(contract.name)}`;
  let root: ReturnType<typeof loadProtoRoot>;
  try {
    root = loadProtoRoot(file, includeDirs);
  } catch (error) {
    throw new PluginError({
      code: 'ERR_PLUGIN_LOAD',
      plugin,
      what: `Plugin "${plugin}"'s gRPC definition ${file} could not be loaded.`,
      why: (error as Error).message,
      fix: own
        ? 'Fix the .proto (or an import it names: imports are found beside it, or from the package root), so that protoc would compile it.'
        : 'Reinstall @x/contract.',
      cause: error,
      details: { file },
    });
  }
  const found = lookupKind(root, serviceName);
  if (found?.kind !== 'service') {
    const known = serviceNames(root);
    throw new PluginError({
      code: 'ERR_PLUGIN_MANIFEST',
      plugin,
      what: `Plugin "${plugin}" names the gRPC service "${serviceName}", which ${file} does not define.`,
      why: `${found === undefined ? 'There is no such name' : `"${serviceName}" is a ${found.kind}, not a service`}; the file defines ${known.length === 0 ? 'no service' : `the service(s) ${known.join(', ')}`}.`,
      fix: 'Set xPlugin.service to the fully qualified name, `<proto package>.<Service>` (e.g. "proto.KV").',
      details: { field: 'xPlugin.service', service: serviceName, file, services: known },
    });
  }
  return { service: found.service, file };
}

/** The manifest's .proto: a file that exists inside the package, a symlink included (checked by its real path). */
function ownProto(plugin: string, packageDir: string, proto: string): string {
  const file = resolve(packageDir, proto);
  let why: string | undefined;
  try {
    const real = realpathSync(file);
    const inside = relative(realpathSync(packageDir), real);
    if (inside.startsWith('..') || resolve(inside) === inside) why = `leads outside the package (to ${real})`;
    else if (!statSync(real).isFile()) why = `is not a file (${file})`;
  } catch {
    why = `names ${file}, which does not exist`;
  }
  if (why === undefined) return file;
  throw new PluginError({
    code: 'ERR_PLUGIN_MANIFEST',
    plugin,
    what: `Plugin "${plugin}" has an invalid manifest: field "xPlugin.proto" ${why}.`,
    why: "The host loads the plugin's gRPC definition from its own package before starting it.",
    fix: 'Ship the .proto inside the package (list it in "files") and point xPlugin.proto at it, relative to the package folder.',
    details: { field: 'xPlugin.proto', file },
  });
}
