import type { Isolation } from './isolation.js';

/** The `xPlugin` field of a plugin's package.json, with defaults applied (docs/manifest.md). */
export interface PluginManifest {
  /** The contract the plugin implements: a built-in or registered name, or `<package>[#<export>]`. */
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
  /**
   * go-plugin: the plugin's own gRPC definition, a `.proto` file relative to the package folder
   * (`proto/kv.proto`); always given with `service`. Absent: the built-in contract's own .proto.
   */
  readonly proto?: string;
  /** go-plugin: the fully qualified gRPC service the plugin serves (`proto.KV`), from `proto`. */
  readonly service?: string;
  /** go-plugin: the service the host serves through the GRPCBroker for the contract's host functions. */
  readonly broker?: GoPluginBroker;
}

/** `xPlugin.broker`: go-plugin's examples/bidirectional serves `proto.AddHelper`, its id in `add_server`. */
export interface GoPluginBroker {
  /** The fully qualified gRPC service, in the plugin's `proto`, whose rpcs are the contract's host functions. */
  readonly service: string;
  /** The uint32 field of the plugin's request messages that carries that service's broker id. */
  readonly idField: string;
}

/** go-plugin's HandshakeConfig, as `xPlugin.handshake` (see docs/polyglot.md). */
export interface GoPluginHandshake {
  readonly protocolVersion: number;
  readonly magicCookieKey: string;
  readonly magicCookieValue: string;
}

/** One thing wrong with a manifest: the field (`xPlugin.command`), why it is wrong, and how to fix it. */
export interface ManifestProblem {
  readonly field: string;
  readonly why: string;
  readonly fix: string;
}

/** The `xPlugin` fields this release reads or reserves (DESIGN.md); any other is likely a typo. */
export const KNOWN_MANIFEST_FIELDS: readonly string[] = Object.freeze([
  'contract',
  'export',
  'isolation',
  'integrity',
  'permissions',
  'engines',
  // go-plugin binaries and other-language plugins: how to start them, and the go-plugin service.
  'protocol',
  'command',
  'handshake',
  'proto',
  'service',
  'broker',
]);
