import type { AnyContract, PluginError } from '@x/contract';
import type { PluginPackage } from '../../manifest.js';
import type { HostVersions } from './host-versions.js';
import { incompatibleError } from './problems.js';
import { contractNameRule, contractRange, contractVersionRule, nodeRange, nodeVersionRule } from './rules.js';

/** Whether a plugin fits this host, and every reason it does not. Computed without running plugin code. */
export interface CompatVerdict {
  readonly ok: boolean;
  /** What the plugin asks for. */
  readonly required: { readonly contractName: string; readonly contract: string; readonly node?: string };
  /** What the host has. */
  readonly actual: {
    readonly contracts: readonly string[];
    readonly contract: string;
    readonly node: string;
  };
  /** Every broken rule, each an ERR_PLUGIN_INCOMPATIBLE error. */
  readonly problems: readonly PluginError[];
}

/** Applies every compatibility rule at once, for doctor and discovery; load uses assertCompatible. */
export function compatibilityOf(
  pkg: PluginPackage,
  host: HostVersions,
  contracts: Readonly<Record<string, AnyContract>>,
): CompatVerdict {
  const problems = [
    contractNameRule(pkg, contracts),
    contractVersionRule(pkg, host),
    nodeVersionRule(pkg, host),
  ].filter((p): p is PluginError => p !== undefined);
  const node = nodeRange(pkg);
  return {
    ok: problems.length === 0,
    required: {
      contractName: pkg.manifest.contract,
      contract: contractRange(pkg),
      ...(node === undefined ? {} : { node }),
    },
    actual: { contracts: Object.keys(contracts), contract: host.contract, node: host.node },
    problems,
  };
}

/** The load path's check: throws ERR_PLUGIN_INCOMPATIBLE naming every broken rule, or returns. */
export function assertCompatible(
  pkg: PluginPackage,
  host: HostVersions,
  contracts: Readonly<Record<string, AnyContract>>,
): void {
  const verdict = compatibilityOf(pkg, host, contracts);
  if (!verdict.ok) throw incompatibleError(pkg.name, verdict.problems, verdict);
}
