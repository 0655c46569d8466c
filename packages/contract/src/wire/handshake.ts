import { describeKind } from '../conformance.js';
import { type PluginStamp, readStamp } from '../protocol.js';

/** JSON-RPC 2.0 method names of the wire protocol (docs/protocol.md). */
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
  /**
   * talkback: true when the plugin serves `x/init` and `x/dispose` (and may call `x/host`). A
   * plugin that does not say so is never sent them: hand-written v1 plugins stay as they are.
   */
  readonly talkback?: boolean;
}

export interface CallParams {
  readonly method: string;
  readonly args: readonly unknown[];
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

/** `mod[name]`, as Go's `Lookup` finds it: a CommonJS module's exports may sit on `default` only. */
export function exportOf(mod: Record<string, unknown>, name: string): unknown {
  if (name in mod) return mod[name];
  const fallback = mod.default;
  return typeof fallback === 'object' && fallback !== null
    ? (fallback as Record<string, unknown>)[name]
    : undefined;
}

/** Describes `mod[exportName]` for the handshake. */
export function describeExport(mod: Record<string, unknown>, exportName: string): ExportShape {
  const value = exportOf(mod, exportName);
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

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isStringRecord = (v: unknown) => isRecord(v) && Object.values(v).every((s) => typeof s === 'string');

/**
 * Checks handshake params that came off the wire (a plugin may send anything): the params, or
 * a description of what is wrong with them.
 */
export function readHandshake(params: unknown): HandshakeParams | string {
  if (!isRecord(params)) return 'its params are not an object';
  const { protocolVersion, versions, plugin, error } = params;
  if (!Number.isInteger(protocolVersion)) return '"protocolVersion" is not an integer';
  if (versions !== undefined && !(Array.isArray(versions) && versions.every(Number.isInteger))) {
    return '"versions" is not an array of integers';
  }
  if (error !== undefined) {
    if (!isRecord(error) || typeof error.message !== 'string') return '"error" has no "message" string';
  } else if (!isRecord(plugin)) {
    return 'it has neither "plugin" nor "error"';
  } else {
    if (!isStringArray(plugin.exportNames)) return '"plugin.exportNames" is not an array of strings';
    if (plugin.members !== null && !isStringRecord(plugin.members)) {
      return '"plugin.members" is neither null nor an object of strings';
    }
    if (plugin.stamp !== undefined && !isRecord(plugin.stamp)) return '"plugin.stamp" is not an object';
  }
  return {
    ...(params as unknown as HandshakeParams),
    versions: (versions as number[] | undefined) ?? [protocolVersion as number],
  };
}
