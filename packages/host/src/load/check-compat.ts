import type { AnyContract, PluginError } from '@x/contract';
import type { PluginPackage } from '../manifest.js';
import { currentHostVersions, type HostVersions } from './compat/host-versions.js';
import { incompatibleError } from './compat/problems.js';
import { structureProblem } from './compat/structure.js';
import { assertCompatible } from './compat/verdict.js';
import { readContractFile } from './read-contract-file.js';
import { resolveContract } from './resolve-contract.js';

/**
 * The load path's compatibility step, before any plugin code is imported: applies every rule of
 * docs/compatibility.md and throws one ERR_PLUGIN_INCOMPATIBLE naming all that fail; returns the
 * plugin's contract (a known one, or the one of its contract package). `expected`, the contract
 * the caller passed to load, needs no registration, and is what the structure is checked against.
 */
export async function checkCompat(
  pkg: PluginPackage,
  contracts: Readonly<Record<string, AnyContract>>,
  host: HostVersions = currentHostVersions(),
  expected?: AnyContract,
): Promise<AnyContract> {
  const known = expected === undefined ? contracts : { ...contracts, [expected.name]: expected };
  assertCompatible(pkg, host, known);
  const contract = await resolveContract(pkg, known);
  const wanted = expected !== undefined && expected.name === contract.name ? expected : contract;
  const file = readContractFile(pkg);
  const problems = [
    wanted === contract ? undefined : structureProblem(pkg, wanted, contract, 'contract package'),
    file === undefined ? undefined : structureProblem(pkg, wanted, file, 'contract file'),
  ].filter((p): p is PluginError => p !== undefined);
  if (problems.length > 0) {
    throw incompatibleError(pkg.name, problems, {
      required: { contract: wanted.name, version: wanted.version },
      actual: { contract: contract.name, version: contract.version },
    });
  }
  return contract;
}
