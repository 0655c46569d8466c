import { type AnyContract, PluginError } from '@x/contract';
import type { PluginPackage } from '../manifest.js';

/** Finds the contract a plugin's manifest names among those the host knows. */
export function resolveContract(
  pkg: PluginPackage,
  contracts: Readonly<Record<string, AnyContract>>,
): AnyContract {
  const contract = contracts[pkg.manifest.contract];
  if (contract === undefined) {
    const known = Object.keys(contracts);
    throw new PluginError({
      code: 'ERR_PLUGIN_INCOMPATIBLE',
      plugin: pkg.name,
      what: `Plugin "${pkg.name}" implements the "${pkg.manifest.contract}" contract, which this host does not know.`,
      why: `The host knows: ${known.join(', ')}.`,
      fix: `Use a plugin for one of those contracts, or register "${pkg.manifest.contract}" with createHost({ contracts }).`,
      details: { contract: pkg.manifest.contract, known },
    });
  }
  return contract;
}
