import type { AnyContract } from '@x/contract';
import { compileContract } from '@x/contract/validate';
import { badOption } from '../options/option-error.js';

/**
 * The load option `config` against the contract's `config` schema (compiled once per contract):
 * a bad config is ERR_PLUGIN_OPTIONS naming the field, before the plugin starts. A contract
 * without a `config` schema takes any config (as in version 1, where there was none to check).
 */
export function checkConfig(plugin: string, contract: AnyContract, config: unknown): void {
  if (config === undefined) return;
  const problem = compileContract(contract).checkConfig(config);
  if (problem === undefined) return;
  throw badOption(
    plugin,
    'config',
    `does not fit the "${contract.name}" contract's config schema: ${problem.message}`,
    `Fix ${problem.path}: the contract expects ${problem.expected} there.`,
    config,
  );
}
