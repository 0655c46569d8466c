import type { PluginManifest } from '@x/contract';

// The manifest's schema and `Isolation` live once, in @x/contract (validateManifest), so that the
// host, the SDK and the CLI read one definition; they are re-exported here for the host's code.
export { type GoPluginHandshake, ISOLATIONS, type Isolation, type PluginManifest } from '@x/contract';

/** What the host knows of a plugin package before running any of its code. */
export interface PluginPackage {
  /** The package name, or the folder name for a package without one. */
  readonly name: string;
  readonly version: string;
  /** The package's folder, absolute. */
  readonly dir: string;
  /** The parsed package.json. */
  readonly packageJson: Readonly<Record<string, unknown>>;
  readonly manifest: PluginManifest;
}
