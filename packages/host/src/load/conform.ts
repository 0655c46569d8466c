import { type AnyContract, checkConformance, readStamp } from '@x/contract';
import { contractMismatch } from '../errors.js';
import type { PluginPackage } from '../manifest.js';
import { currentHostVersions, type HostVersions } from './compat/host-versions.js';
import { incompatibleError } from './compat/problems.js';
import { contractRange } from './compat/rules.js';
import { stampProblems } from './compat/stamp.js';
import { structureProblem } from './compat/structure.js';

/**
 * The run-time type assertion (Go's `sym.(Greeter)`): the looked-up export must implement every
 * method of the contract, and, when stamped by the SDK, claim the same contract as its manifest
 * and have been built against a @x/contract that both its package.json and the host accept.
 */
export function conform(
  pkg: PluginPackage,
  contract: AnyContract,
  value: unknown,
  exportNames: string[],
  host: HostVersions = currentHostVersions(),
): unknown {
  if (value === undefined) {
    throw contractMismatch(
      pkg.name,
      contract.name,
      [{ member: pkg.manifest.export, expected: 'an export', actual: 'missing' }],
      `Export the plugin as "${pkg.manifest.export}" (it exports: ${exportNames.join(', ') || 'nothing'}), or set xPlugin.export in package.json to the name it uses.`,
    );
  }
  const stamp = readStamp(value);
  // Before the method check: a build for another contract line explains missing methods best.
  const stale = stamp === undefined ? [] : stampProblems(pkg, stamp, host);
  // A build stamp with the contract's schema: its structure against the host's, before any call.
  const structure =
    stamp?.schema === undefined ? undefined : structureProblem(pkg, contract, stamp.schema, 'build stamp');
  if (structure !== undefined) stale.push(structure);
  if (stale.length > 0) {
    throw incompatibleError(pkg.name, stale, {
      required: { contract: contractRange(pkg) },
      actual: { contract: host.contract, built: stamp },
    });
  }
  const result = checkConformance(contract, value);
  if (!result.ok) {
    throw contractMismatch(
      pkg.name,
      contract.name,
      result.problems,
      `Implement every method of "${contract.name}" (definePlugin from @x/sdk checks this at compile time).`,
    );
  }
  if (stamp !== undefined && stamp.contract !== contract.name) {
    throw contractMismatch(
      pkg.name,
      contract.name,
      [
        {
          member: '(stamp)',
          expected: `built for "${contract.name}"`,
          actual: `built for "${stamp.contract}"`,
        },
      ],
      `Make xPlugin.contract in package.json say "${stamp.contract}", the contract the code was built for.`,
    );
  }
  return value;
}
