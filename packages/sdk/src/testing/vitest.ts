import type { AnyContract } from '@x/contract';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { LoadedPlugin } from './load.js';
import type { PluginTestOptions } from './options.js';
import { planPluginTests } from './plan.js';

/**
 * The conformance suite as vitest tests, in one line (what ESLint's RuleTester is for rules): one
 * `describe` per isolation mode, loading the built plugin through a real `@x/host`, one `it` per check.
 * @example testPlugin({ dir: new URL('..', import.meta.url), contract: greeter, cases: { greet: [[['World'], 'Hello, World!']] } });
 */
export function testPlugin<C extends AnyContract>(options: PluginTestOptions<C>): void {
  for (const group of planPluginTests(options)) {
    if (group.skipped !== undefined) {
      describe.skip(`${group.name}: skipped, ${group.skipped}`, () => {
        for (const check of group.checks) it(check.name, () => {});
      });
      continue;
    }
    describe(group.name, () => {
      let plugin: LoadedPlugin | undefined;
      beforeAll(async () => {
        plugin = await group.load();
      });
      afterAll(async () => {
        await plugin?.close();
      });
      for (const check of group.checks) it(check.name, () => check.run(plugin!));
    });
  }
}
