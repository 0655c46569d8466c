import type { ContractJson } from './schema/contract-json.js';

/**
 * Constants both sides of an isolated plugin agree on (go-plugin's HandshakeConfig).
 * The cookie is not security: it only tells a plugin that a host, not a person, started it.
 */
export const MAGIC_COOKIE_KEY = 'X_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = '7f3c9e52-x-plugin-kit-handshake';
/** Env var through which the host offers its protocol versions, comma-separated (go-plugin's PLUGIN_PROTOCOL_VERSIONS). */
export const PROTOCOL_VERSIONS_KEY = 'X_PLUGIN_PROTOCOL_VERSIONS';
/** The wire protocol versions this release speaks, newest last. */
export const PROTOCOL_VERSIONS: readonly number[] = Object.freeze([1, 2, 3]);
/** The symbol under which `definePlugin` stamps what a plugin was built against. */
export const PLUGIN_STAMP: unique symbol = Symbol.for('x.plugin.stamp') as never;

export interface PluginStamp {
  /** The contract's name. */
  readonly contract: string;
  /** The version of `@x/contract` the plugin was built against. */
  readonly contractVersion: string;
  /** The version of `@x/sdk` the plugin was built with. */
  readonly sdkVersion: string;
  /** The contract's own `version`, when it has one (stamps before version 2 have none). */
  readonly version?: string;
  /** The contract the plugin was built against, as JSON: what the host's structural check compares. */
  readonly schema?: ContractJson;
}

/** Reads the stamp `definePlugin` put on a plugin object, if any. */
export function readStamp(value: unknown): PluginStamp | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const stamp = (value as Record<symbol, unknown>)[PLUGIN_STAMP];
  return typeof stamp === 'object' && stamp !== null ? (stamp as PluginStamp) : undefined;
}
