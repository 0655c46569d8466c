import type { AnyContract } from '@x/contract';
import type { PluginPackage } from '../manifest.js';
import { currentHostVersions, type HostVersions } from './compat/host-versions.js';
import { assertCompatible } from './compat/verdict.js';

/**
 * The load path's compatibility step, before any plugin code is imported: applies every rule of
 * docs/compatibility.md and throws one ERR_PLUGIN_INCOMPATIBLE naming all that fail; returns the
 * plugin's contract.
 */
export function checkCompat(
  pkg: PluginPackage,
  contracts: Readonly<Record<string, AnyContract>>,
  host: HostVersions = currentHostVersions(),
): AnyContract {
  assertCompatible(pkg, host, contracts);
  return contracts[pkg.manifest.contract]!;
}
