import { type AnyContract, type ContractJson, compareContracts, type PluginError } from '@x/contract';
import type { PluginPackage } from '../../manifest.js';
import { incompatible } from './problems.js';

/** Where the plugin's side of a structural check came from, for the message. */
export type StructureSource = 'contract package' | 'contract file' | 'build stamp';

/**
 * The structural rule (docs/compatibility.md): the contract the plugin was built against must not
 * break the host's. One ERR_PLUGIN_INCOMPATIBLE naming the first broken method and change, with
 * every change in `details.changes`; undefined when compatible.
 */
export function structureProblem(
  pkg: PluginPackage,
  host: AnyContract,
  plugin: AnyContract | ContractJson,
  source: StructureSource,
): PluginError | undefined {
  let comparison: ReturnType<typeof compareContracts>;
  try {
    comparison = compareContracts(host, plugin);
  } catch (error) {
    // The plugin's side is data from its package (a stamp, a file): hostile input, refused.
    return incompatible(
      pkg.name,
      'contract-structure',
      {
        what: `Plugin "${pkg.name}" carries an unreadable contract schema (${source}).`,
        why: (error as Error).message,
        fix: `Rebuild ${pkg.name} with @x/sdk (npm run build) and republish it.`,
        required: 'a contract schema',
        actual: 'unreadable',
      },
      { source },
    );
  }
  const { compatible, changes } = comparison;
  if (compatible) return undefined;
  const breaking = changes.filter((c) => c.breaking);
  const first = breaking[0]!;
  const versions = `${host.name}${host.version === undefined ? '' : ` ${host.version}`}`;
  const built = plugin.version === undefined ? '' : ` ${plugin.version}`;
  return incompatible(
    pkg.name,
    'contract-structure',
    {
      what:
        source === 'contract package'
          ? `Plugin "${pkg.name}" implements the "${plugin.name}"${built} contract of its contract package, which breaks this host's ${versions}.`
          : `Plugin "${pkg.name}" was built against a "${plugin.name}"${built} contract (its ${source}) that breaks this host's ${versions}.`,
      why: breaking.map((c) => c.message).join(' '),
      fix: `Install a release of ${pkg.name} built against a compatible contract, or upgrade the host to the contract the plugin needs; \`x-plugin contract diff\` shows every change.`,
      required: versions,
      actual: `${plugin.name}${built}`,
    },
    { method: first.method, change: first.kind, changes: breaking, source },
  );
}
