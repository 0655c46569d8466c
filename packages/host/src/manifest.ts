export type Isolation = 'in-process' | 'worker' | 'process';
export const ISOLATIONS: readonly Isolation[] = ['in-process', 'worker', 'process'];

/** The `xPlugin` field of a plugin's package.json, with defaults applied. */
export interface PluginManifest {
  /** The contract the plugin implements, by name. */
  readonly contract: string;
  /** The exported symbol that is the plugin (Go's `Lookup("Plugin")`). */
  readonly export: string;
  /** The isolation the plugin prefers; the host may override it. */
  readonly isolation: Isolation;
  /** How an isolated plugin is spoken to: absent for x's own protocol, `go-plugin` for a hashicorp/go-plugin gRPC binary. */
  readonly protocol?: 'go-plugin';
  /**
   * The program and its arguments that start a plugin which is not a Node package (a go-plugin
   * binary, or a Python script speaking x's protocol); it then runs with `process` isolation only.
   * A program containing `/` is relative to the package folder, a bare name is found on the PATH.
   */
  readonly command?: readonly string[];
  /** go-plugin: its HandshakeConfig, with defaults applied. */
  readonly handshake?: GoPluginHandshake;
}

/** go-plugin's HandshakeConfig, as `xPlugin.handshake` (see docs/polyglot.md). */
export interface GoPluginHandshake {
  readonly protocolVersion: number;
  readonly magicCookieKey: string;
  readonly magicCookieValue: string;
}

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
