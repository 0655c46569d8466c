import type { AnyContract, ConfigOf, HostImplementation, Infer, TypeOf } from '@x/contract';

/** Where a plugin can run; the same names as `@x/host`'s, repeated so this entry needs no host types. */
export type Isolation = 'in-process' | 'worker' | 'process';
export const ALL_ISOLATIONS: readonly Isolation[] = ['in-process', 'worker', 'process'];

type Method<C extends AnyContract, K extends keyof C['methods']> = Infer<C>[K] extends (
  ...args: infer A
) => unknown
  ? A
  : never;

/** One behaviour case: the arguments, and the answer expected (or a pattern it must match). */
export type PluginCase<C extends AnyContract, K extends keyof C['methods']> = readonly [
  args: Method<C, K>,
  expected: TypeOf<C['methods'][K]['returns']> | RegExp,
];

export type PluginCases<C extends AnyContract> = {
  readonly [K in keyof C['methods']]?: readonly PluginCase<C, K>[];
};

export interface PluginTestOptions<C extends AnyContract> {
  /** The plugin package's folder (the one holding its package.json), built: a path or a file: URL. */
  readonly dir: string | URL;
  /** The contract the plugin implements. */
  readonly contract: C;
  /** Behaviour to check, by method: `{ greet: [[['World'], 'Hello, World!']] }`. */
  readonly cases?: PluginCases<C>;
  /**
   * The isolations to run the plugin in (default: all three). The environment variable
   * X_PLUGIN_TEST_ISOLATIONS (comma-separated) narrows this list, for hosts or CI machines
   * that cannot run every mode; the modes it leaves out are reported as skipped, never dropped silently.
   */
  readonly isolations?: readonly Isolation[];
  /** Per-call timeout in milliseconds (default 10 000). */
  readonly timeout?: number;
  /** The `config` load option: what the plugin's factory gets as `ctx.config` (checked by the host against the contract). */
  readonly config?: ConfigOf<C>;
  /**
   * Fake host functions for the contract's `host` section (the `host` load option), so a plugin
   * that calls `ctx.host` runs under test as under a real application: `{ log: (line) => lines.push(line) }`.
   */
  readonly host?: HostImplementation<C>;
}
