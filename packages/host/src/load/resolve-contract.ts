import { pathToFileURL } from 'node:url';
import { type AnyContract, contractFromJson, PluginError } from '@x/contract';
import type { PluginPackage } from '../manifest.js';
import { incompatible } from './compat/problems.js';
import { type ContractPackage, contractRef, locateContractPackage } from './locate-contract-package.js';

function isContractLike(value: unknown): value is AnyContract {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AnyContract).name === 'string' &&
    typeof (value as AnyContract).methods === 'object'
  );
}

/** What importContract needs to know of a contract package, from a plugin's manifest or the CLI. */
export type ContractSource = Pick<ContractPackage, 'ref' | 'entry'>;

function unusable(owner: string, found: ContractSource, why: string, fix: string): PluginError {
  return incompatible(
    owner,
    'contract-package',
    {
      what: `The contract package "${found.ref.package}" of "${owner}" does not give a usable contract.`,
      why,
      fix,
      required: found.ref.export === undefined ? 'one contract export' : `an export "${found.ref.export}"`,
      actual: found.entry,
    },
    { contractPackage: found.ref.package },
  );
}

/**
 * Imports a located contract package and picks its contract. This is the host's own trusted side:
 * a contract package is data, but importing it runs its code in the host (docs/security.md).
 */
export async function importContract(owner: string, found: ContractSource): Promise<AnyContract> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(found.entry).href)) as Record<string, unknown>;
  } catch (error) {
    throw unusable(
      owner,
      found,
      `Importing ${found.entry} failed: ${(error as Error).message}`,
      `Reinstall ${found.ref.package}, or report it to its author.`,
    );
  }
  const name = found.ref.export;
  // CommonJS packages arrive as a default export holding their named ones.
  const hasOwn = (m: Record<string, unknown>) =>
    name === undefined ? Object.values(m).some(isContractLike) : Object.hasOwn(m, name);
  const def = mod.default;
  const scope =
    !hasOwn(mod) && typeof def === 'object' && def !== null && hasOwn(def as never)
      ? (def as Record<string, unknown>)
      : mod;
  // "<package>" alone: its default export when that is a contract (the package says which it
  // means), else its only contract export.
  const candidates =
    name === undefined && isContractLike(scope.default)
      ? [['default', scope.default] as const]
      : name === undefined
        ? Object.entries(scope).filter(
            ([, v], i, all) => isContractLike(v) && all.findIndex(([, w]) => w === v) === i,
          )
        : Object.hasOwn(scope, name) && isContractLike(scope[name])
          ? [[name, scope[name]] as const]
          : [];
  const [first, ...more] = candidates;
  if (first === undefined) {
    const list = Object.keys(scope).join(', ') || 'nothing';
    const why = `It exports ${list}, and ${name === undefined ? 'none of those is a contract' : `"${name}" is not a contract`}.`;
    throw unusable(
      owner,
      found,
      why,
      `Name the export in xPlugin.contract: "${found.ref.package}#<export>".`,
    );
  }
  if (more.length > 0) {
    const names = candidates.map(([n]) => n).join(', ');
    throw unusable(
      owner,
      found,
      `It exports several contracts (${names}).`,
      `Name one in xPlugin.contract: "${found.ref.package}#${first[0]}".`,
    );
  }
  try {
    return contractFromJson(first[1]);
  } catch (error) {
    throw unusable(
      owner,
      found,
      `Its contract is not valid: ${(error as Error).message}`,
      `Report it to the author of ${found.ref.package}.`,
    );
  }
}

/**
 * The contract a plugin implements: a bare name is a known contract (built-in, registered, or the
 * `contract` passed to load); `"<package>[#<export>]"` is found from the plugin's folder, its peer
 * range checked, and imported. Throws ERR_PLUGIN_INCOMPATIBLE when it cannot.
 */
export async function resolveContract(
  pkg: PluginPackage,
  known: Readonly<Record<string, AnyContract>>,
): Promise<AnyContract> {
  const ref = contractRef(pkg.manifest.contract, known);
  if (ref === undefined) return known[pkg.manifest.contract]!;
  const found = locateContractPackage(pkg, ref);
  if (PluginError.isInstance(found)) throw found;
  return importContract(pkg.name, found);
}
