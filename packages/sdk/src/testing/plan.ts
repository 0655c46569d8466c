import { deepStrictEqual, match, ok } from 'node:assert/strict';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AnyContract, contractToJson, describeType, sampleValue, type ValueKind } from '@x/contract';
import { compileContract } from '@x/contract/validate';
import { chooseIsolations } from './isolations.js';
import { type LoadedPlugin, loadThroughHost } from './load.js';
import type { Isolation, PluginTestOptions } from './options.js';

/** One check, run against a loaded plugin. Failing means throwing (an AssertionError, usually). */
export interface PluginCheck {
  readonly name: string;
  run(plugin: LoadedPlugin): Promise<void>;
}

/** The checks for one isolation mode, with how to load the plugin in it. */
export interface PluginTestGroup {
  readonly name: string;
  readonly isolation: Isolation;
  /** Set when the mode is not run, with the reason. */
  readonly skipped?: string;
  load(): Promise<LoadedPlugin>;
  readonly checks: readonly PluginCheck[];
}

// A value of each kind, to call methods that have no case of their own and still check what they return.
/** Items of a stream checked by the default call of a stream method. */
const MAX_STREAM_ITEMS = 100;

const SAMPLE: Record<ValueKind, unknown> = { string: 'World', number: 1, boolean: true, void: undefined };

function pluginDir(dir: string | URL): string {
  const path = dir instanceof URL || dir.startsWith('file:') ? fileURLToPath(dir) : dir;
  return isAbsolute(path) ? path : resolve(path);
}

// JSON, readable for the kinds JSON lacks (a test name must never throw on a bigint).
const readable = (_key: string, v: unknown) =>
  typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `Uint8Array(${v.length})` : v;
const show = (args: readonly unknown[]) =>
  args.map((a) => JSON.stringify(a, readable) ?? String(a)).join(', ');

/**
 * The framework-free plan of the conformance suite: for each isolation, load the plugin through a
 * real host, check every contract method answers with its declared type, then every behaviour case.
 */
export function planPluginTests<C extends AnyContract>(options: PluginTestOptions<C>): PluginTestGroup[] {
  const { contract, timeout = 10_000 } = options;
  const dir = pluginDir(options.dir);
  const cases = (options.cases ?? {}) as Record<string, readonly (readonly [unknown[], unknown])[]>;
  for (const method of Object.keys(cases)) {
    if (!(method in contract.methods)) {
      throw new TypeError(
        `testPlugin: cases name "${method}", which the "${contract.name}" contract does not have ` +
          `(it has ${Object.keys(contract.methods).join(', ')}).`,
      );
    }
  }

  const checks: PluginCheck[] = [
    {
      name: `is a "${contract.name}" plugin`,
      async run(plugin) {
        if (plugin.stamp !== undefined) {
          deepStrictEqual(plugin.stamp.contract, contract.name, 'definePlugin stamped another contract');
        }
      },
    },
  ];
  const compiled = compileContract(contract).methods;
  const json = contractToJson(contract).methods;
  for (const [method, spec] of Object.entries(contract.methods)) {
    // With no case of its own, a method is called with a sample of each required param: the v1
    // samples for scalar kinds ('World'), else a small value its schema accepts (sampleValue).
    const sampled = () =>
      json[method]!.params.filter((p) => p.optional !== true).map((p, i) => {
        const kind = spec.params[i]!.type;
        return typeof kind === 'string' ? SAMPLE[kind as ValueKind] : sampleValue(p.type);
      });
    const args = cases[method]?.[0]?.[0] ?? sampled();
    checks.push({
      name: `${method}(${show(args)}) returns ${compiled[method]?.stream ? 'a stream of ' : 'a '}${describeType(spec.returns)}`,
      async run(plugin) {
        const result = await plugin.call(method, [...args], { timeout });
        const problem = compiled[method]?.checkResult(result);
        ok(problem === undefined, `${method} returned ${problem?.message}`);
        if (!compiled[method]?.stream) return;
        // A stream: its first items, each checked against the item schema.
        let seen = 0;
        for await (const item of result as AsyncIterable<unknown>) {
          const bad = compiled[method]!.checkItem(item);
          ok(bad === undefined, `${method} yielded ${bad?.message}`);
          if (++seen >= MAX_STREAM_ITEMS) break;
        }
      },
    });
  }
  for (const [method, list] of Object.entries(cases)) {
    for (const [args, expected] of list) {
      const shown = expected instanceof RegExp ? String(expected) : JSON.stringify(expected);
      checks.push({
        name: `${method}(${show(args)}) → ${shown}`,
        async run(plugin) {
          const result = await plugin.call(method, [...args], { timeout });
          if (expected instanceof RegExp) match(String(result), expected);
          else deepStrictEqual(result, expected);
        },
      });
    }
  }

  return chooseIsolations(options.isolations).map(({ isolation, skipped }) => ({
    name: `${contract.name} plugin at ${dir} (${isolation})`,
    isolation,
    ...(skipped === undefined ? {} : { skipped }),
    load: () => loadThroughHost(dir, contract, isolation, { config: options.config, host: options.host }),
    checks,
  }));
}
