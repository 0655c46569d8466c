import { type AnyContract, checkConformance, readStamp } from '@x/contract';
import { contractMismatch } from '../errors.js';
import type { PluginPackage } from '../manifest.js';

/**
 * The run-time type assertion (Go's `sym.(Greeter)`): the looked-up export must implement every
 * method of the contract, and, when stamped by the SDK, claim the same contract as its manifest.
 */
export function conform(
  pkg: PluginPackage,
  contract: AnyContract,
  value: unknown,
  exportNames: string[],
): unknown {
  if (value === undefined) {
    throw contractMismatch(
      pkg.name,
      contract.name,
      [{ member: pkg.manifest.export, expected: 'an export', actual: 'missing' }],
      `Export the plugin as "${pkg.manifest.export}" (it exports: ${exportNames.join(', ') || 'nothing'}), or set xPlugin.export in package.json to the name it uses.`,
    );
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
  const stamp = readStamp(value);
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
