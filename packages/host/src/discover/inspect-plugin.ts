import type { AnyContract } from '@x/contract';
import type { HostVersions } from '../load/compat/host-versions.js';
import { compatibilityOf } from '../load/compat/verdict.js';
import { inspectManifest } from '../load/read-manifest.js';
import type { DiscoveredPlugin, DiscoverySource } from './discovered-plugin.js';

/** Reads one plugin package and judges it against every manifest and compatibility rule at once. */
export function inspectPlugin(
  dir: string,
  spec: string,
  source: DiscoverySource,
  contracts: Readonly<Record<string, AnyContract>>,
  host: HostVersions,
  /** The package.json, when discovery has already read it. */
  packageJson?: Record<string, unknown>,
): DiscoveredPlugin {
  const m = inspectManifest(dir, spec, packageJson);
  const verdict = m.pkg === undefined ? undefined : compatibilityOf(m.pkg, host, contracts);
  const problems = [...m.problems, ...(verdict?.problems ?? [])];
  const x = m.pkg?.manifest;
  return {
    name: m.name,
    version: m.version,
    dir,
    source,
    contract: x?.contract,
    isolation: x?.isolation,
    package: m.pkg,
    verdict,
    ok: problems.length === 0,
    problems,
    warnings: m.warnings,
  };
}
