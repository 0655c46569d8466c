import type { AnyContract, PluginError } from '@x/contract';
import type { HostVersions } from '../load/compat/host-versions.js';
import type { CompatVerdict } from '../load/compat/verdict.js';
import type { Isolation, PluginPackage } from '../manifest.js';

/** How a plugin was found: a dependency of the project, a package in a plugin directory, or named. */
export type DiscoverySource = 'dependency' | 'directory' | 'path';

/** A plugin found without running any of its code, with its verdict. */
export interface DiscoveredPlugin {
  /** The package name (or the spec it was asked for by, when it could not be read). */
  readonly name: string;
  readonly version: string;
  /** Its folder, absolute; load it with host.load(dir). */
  readonly dir: string;
  readonly source: DiscoverySource;
  /** The manifest's contract and isolation, when the manifest could be read. */
  readonly contract: string | undefined;
  readonly isolation: Isolation | undefined;
  /** Set when the manifest is valid. */
  readonly package: PluginPackage | undefined;
  /** The compatibility verdict, when the manifest is valid enough to judge. */
  readonly verdict: CompatVerdict | undefined;
  /** Whether it would pass every check that runs before import. */
  readonly ok: boolean;
  /** Every reason it would not load: manifest problems first, then broken compatibility rules. */
  readonly problems: readonly PluginError[];
  /** Oddities that do not stop it loading (an unknown manifest field). */
  readonly warnings: readonly PluginError[];
}

export interface DiscoverOptions {
  /**
   * The project whose installed plugins to find: its package.json dependencies, devDependencies and
   * optionalDependencies that carry the `x-plugin` keyword and an `xPlugin` manifest; also where
   * `paths` are looked up. Default: process.cwd().
   */
  readonly cwd?: string;
  /** Whether to scan the project at `cwd` (default: true, unless `dir` or `paths` is given). */
  readonly project?: boolean;
  /** Plugin directories: every package folder inside (scoped ones too) with an xPlugin manifest. */
  readonly dir?: string | readonly string[];
  /** Plugins by path or package name (looked up from `cwd`), always reported, even if not plugins. */
  readonly paths?: readonly string[];
  /** Contracts the host knows (default: the built-in ones). */
  readonly contracts?: Readonly<Record<string, AnyContract>>;
  /** Keep only plugins of this contract. */
  readonly contract?: AnyContract;
  /** @internal The versions to judge against (default: the running host's). */
  readonly host?: HostVersions;
}
