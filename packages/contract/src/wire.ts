import { describeKind } from './conformance.js';
import { type PluginStamp, PROTOCOL_VERSIONS, readStamp } from './protocol.js';

// The plugin side of the wire protocol (docs/protocol.md), shared by @x/host's bootstrap and
// @x/sdk's serve() so that both speak exactly the same thing. It is written against a structural
// `WireConnection` (what vscode-jsonrpc's MessageConnection offers), so this package gains no
// dependency and nothing Node-specific: the transport is each caller's business.

/** JSON-RPC 2.0 method names of the wire protocol. */
export const WIRE_METHODS = Object.freeze({
  /** Notification, plugin → host, once, first: the version chosen and what the plugin exports. */
  handshake: 'x/handshake',
  /** Request, host → plugin: call one contract method. */
  call: 'x/call',
  /** Request, host → plugin: answers while the plugin's event loop is free. */
  health: 'x/health',
  /** Notification, plugin → host: one structured log line. */
  log: 'x/log',
});

/** JSON-RPC error code of a plugin method that threw; `data` is a `WireError`. */
export const WIRE_PLUGIN_THREW = -32001;

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** What the plugin's export looks like, so the host can run its conformance check remotely. */
export interface ExportShape {
  /** Every export name of the plugin's module. */
  readonly exportNames: readonly string[];
  /** `describeKind` of each member of the export (own and inherited), or null when it is missing. */
  readonly members: Readonly<Record<string, string>> | null;
  readonly stamp?: PluginStamp;
}

export interface HandshakeParams {
  /** The version the plugin chose among those the host offered (or its newest, if none matched). */
  readonly protocolVersion: number;
  /** Every version the plugin speaks. */
  readonly versions: readonly number[];
  /** Present when the plugin's code loaded. */
  readonly plugin?: ExportShape;
  /** Present when importing the plugin's code threw. */
  readonly error?: WireError;
}

export interface CallParams {
  readonly method: string;
  readonly args: readonly unknown[];
}

/** The part of a JSON-RPC connection the plugin side needs (vscode-jsonrpc's MessageConnection fits). */
export interface WireConnection {
  onRequest(method: string, handler: (params: never) => unknown): unknown;
  sendNotification(method: string, params: unknown): unknown;
}

/** Parses the host's offer (`"1,2"`) into versions; anything else is dropped. */
export function parseVersions(text: string | undefined): number[] {
  return (text ?? '')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** The newest version both sides speak, or undefined. */
export function chooseVersion(offered: readonly number[], spoken: readonly number[]): number | undefined {
  return [...spoken].sort((a, b) => b - a).find((v) => offered.includes(v));
}

export function toWireError(error: unknown): WireError {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { name: 'Error', message: String(error) };
}

/** Describes `mod[exportName]` for the handshake (a CommonJS module's exports may sit on `default`). */
export function describeExport(mod: Record<string, unknown>, exportName: string): ExportShape {
  const fallback = mod.default as Record<string, unknown> | undefined;
  const value =
    exportName in mod ? mod[exportName] : typeof fallback === 'object' ? fallback?.[exportName] : undefined;
  const exportNames = Object.keys(mod);
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    return { exportNames, members: value === undefined ? null : { '(export)': describeKind(value) } };
  }
  const members: Record<string, string> = {};
  // Walk the prototype chain too: a class instance's methods live there.
  for (let o: object | null = value; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key !== 'constructor' && !(key in members)) members[key] = describeKind((value as never)[key]);
    }
  }
  return { exportNames, members, stamp: readStamp(value) };
}

export interface ServeOptions {
  /** The versions the host offered. */
  readonly offered: readonly number[];
  /** The versions this plugin speaks (default: PROTOCOL_VERSIONS). */
  readonly versions?: readonly number[];
  /** Loads the plugin's module; its failure is reported in the handshake, not thrown. */
  readonly load: () => Promise<Record<string, unknown>>;
  readonly exportName: string;
  /** Builds the JSON-RPC error a failed call answers with (vscode-jsonrpc's ResponseError). */
  readonly responseError: (code: number, message: string, data: WireError) => Error;
  /** Extra facts for `x/health` (memory, uptime). */
  readonly health?: () => Record<string, unknown>;
}

/**
 * Serves a plugin over a connection that is already listening: loads it, answers the handshake,
 * then answers calls. Returns the version chosen, or undefined when the host and plugin share none
 * (the host then reports ERR_PLUGIN_HANDSHAKE and stops the plugin).
 */
export async function servePluginOver(
  connection: WireConnection,
  options: ServeOptions,
): Promise<number | undefined> {
  const versions = options.versions ?? PROTOCOL_VERSIONS;
  const chosen = chooseVersion(options.offered, versions);
  const protocolVersion = chosen ?? Math.max(...versions);
  let mod: Record<string, unknown>;
  try {
    mod = await options.load();
  } catch (error) {
    connection.sendNotification(WIRE_METHODS.handshake, {
      protocolVersion,
      versions,
      error: toWireError(error),
    });
    return chosen;
  }
  const shape = describeExport(mod, options.exportName);
  const fallback = mod.default as Record<string, unknown> | undefined;
  const target = (
    options.exportName in mod ? mod[options.exportName] : fallback?.[options.exportName]
  ) as Record<string, (...args: unknown[]) => unknown>;
  connection.onRequest(WIRE_METHODS.call, async ({ method, args }: CallParams) => {
    try {
      return (await target[method]!.apply(target, [...args])) ?? null;
    } catch (error) {
      const wire = toWireError(error);
      throw options.responseError(WIRE_PLUGIN_THREW, `${wire.name}: ${wire.message}`, wire);
    }
  });
  connection.onRequest(WIRE_METHODS.health, () => ({ ok: true, ...options.health?.() }));
  const handshake: HandshakeParams = { protocolVersion, versions, plugin: shape };
  connection.sendNotification(WIRE_METHODS.handshake, handshake);
  return chosen;
}

/** The message a plugin prints when run by hand, without the host's magic cookie. */
export function notAProgramMessage(name: string): string {
  return [
    `${name} is a plugin, not a program: it is meant to be started by a host.`,
    'Load it with @x/host, for example:',
    `  npx x-plugin call ${name} <method> [args...] --isolation process`,
    "or, from code: createHost().load('<package>', { isolation: 'process' }).",
  ].join('\n');
}
