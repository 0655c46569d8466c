import type { AnyContract } from '@x/contract';
import type { LoadedPlugin } from './load.js';
import type { PluginTestOptions } from './options.js';
import { planPluginTests } from './plan.js';

export interface PluginTestResult {
  readonly group: string;
  readonly check: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly error?: unknown;
}

/**
 * Runs the conformance suite without any test framework and reports each check; for
 * node:test, mocha or a script. A plugin that fails to load fails every check of its mode.
 * @example const failed = (await runPluginTests({ dir, contract: greeter })).filter((r) => r.status === 'failed');
 */
export async function runPluginTests<C extends AnyContract>(
  options: PluginTestOptions<C>,
): Promise<PluginTestResult[]> {
  const results: PluginTestResult[] = [];
  for (const group of planPluginTests(options)) {
    const record = (check: string, status: PluginTestResult['status'], error?: unknown) =>
      results.push({ group: group.name, check, status, ...(error === undefined ? {} : { error }) });
    if (group.skipped !== undefined) {
      for (const check of group.checks) record(check.name, 'skipped', group.skipped);
      continue;
    }
    let plugin: LoadedPlugin;
    try {
      plugin = await group.load();
    } catch (error) {
      for (const check of group.checks) record(check.name, 'failed', error);
      continue;
    }
    try {
      for (const check of group.checks) {
        try {
          await check.run(plugin);
          record(check.name, 'passed');
        } catch (error) {
          record(check.name, 'failed', error);
        }
      }
    } finally {
      await plugin.close();
    }
  }
  return results;
}
