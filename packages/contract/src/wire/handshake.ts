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

/**
 * A thrown error as it crosses the wire (docs/protocol.md, "Error objects"): plain JSON data, so
 * that every version and language carries it the same. The host rebuilds a real Error from it.
 */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** `error.code`, when it is a string or a number (Node's `ERR_*`, an errno, an app's own). */
  readonly code?: string | number;
  /** Its other own enumerable properties whose values are JSON data (the rest are dropped). */
  readonly props?: Readonly<Record<string, unknown>>;
  /** `error.cause`: an error, or `{ value }` for any other value (JSON data, or its String()). */
  readonly cause?: WireError | WireValue;
  /** An AggregateError's `errors`, each like `cause`. */
  readonly errors?: readonly (WireError | WireValue)[];
  /** What was thrown, when it was not an Error and is JSON data (`throw 'text'`, `throw { status }`). */
  readonly value?: unknown;
  /** Set where the cause chain was cut: too deep, or a cycle (back to an error already sent). */
  readonly truncated?: 'depth' | 'cycle';
}

/** A thrown or attached value that is not an Error. */
export interface WireValue {
  readonly value: unknown;
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
  /**
   * talkback: true when the plugin's instance is already made (an object-form export, which takes
   * no config) and has nothing to dispose (no `[Symbol.asyncDispose]`): a host with no config to
   * hand over may skip `x/init` (one round trip less before the first call), and any host may skip
   * `x/dispose` at close. Absent (older plugins, factory form): both are sent as before.
   */
  readonly ready?: boolean;
}

/** `x/call`'s params in versions 1 and 2; version 3 sends them as `[method, args]`. */
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

/**
 * The framing a plugin speaks from its first byte: that of the version it chose, or version 1's when
 * it shares none with the host, so that even an older host can read its handshake and say why.
 */
export function framingFor(offered: readonly number[], spoken: readonly number[]): 1 | 2 | 3 {
  const chosen = chooseVersion(offered, spoken);
  return chosen === 3 ? 3 : chosen === 2 ? 2 : 1;
}

/** How many causes (and nested AggregateError members) deep an error is sent. */
export const MAX_ERROR_DEPTH = 8;
/** At most this many members of an AggregateError are sent. */
const MAX_AGGREGATE = 100;
/**
 * Own properties the wire error carries in fields of its own. `name` is not one: an own `name`
 * (a class field, `name = 'MyError'`) also goes in `props`, so that it stays an own property.
 */
const OWN_FIELDS = new Set(['message', 'stack', 'code', 'cause']);

/**
 * A thrown value as JSON data: name, message, stack, code, the other own data properties, the
 * cause chain (at most MAX_ERROR_DEPTH deep, cycles cut) and AggregateError's errors. Never
 * throws, whatever was thrown (getters that throw, proxies, cycles).
 */
export function toWireError(error: unknown): WireError {
  const wire = errorToWire(error, 0, new Set());
  if (wire !== undefined) return wire;
  const value = toData(error, 0);
  return value === undefined
    ? { name: 'Error', message: safeString(error) }
    : { name: 'Error', message: safeString(error), value };
}

function errorToWire(error: unknown, depth: number, seen: Set<object>): WireError | undefined {
  if (!(error instanceof Error)) return undefined;
  seen.add(error);
  const out: {
    -readonly [K in keyof WireError]: WireError[K];
  } = { name: safeString(read(error, 'name') ?? 'Error'), message: safeString(read(error, 'message') ?? '') };
  const stack = read(error, 'stack');
  if (typeof stack === 'string') out.stack = stack;
  const code = read(error, 'code');
  if (typeof code === 'string' || (typeof code === 'number' && Number.isFinite(code))) out.code = code;
  const props: Record<string, unknown> = {};
  let hasProps = false;
  for (const key of safeKeys(error)) {
    if (OWN_FIELDS.has(key) || (key === 'errors' && error instanceof AggregateError)) continue;
    const value = toData(read(error, key), 0);
    if (value === undefined) continue;
    Object.defineProperty(props, key, { value, enumerable: true, writable: true, configurable: true });
    hasProps = true;
  }
  if (hasProps) out.props = props;
  if (depth >= MAX_ERROR_DEPTH) {
    if ('cause' in error || error instanceof AggregateError) out.truncated = 'depth';
    return out;
  }
  const member = (value: unknown): WireError | WireValue | undefined => {
    if (value instanceof Error && seen.has(value)) {
      out.truncated = 'cycle';
      return undefined;
    }
    return errorToWire(value, depth + 1, seen) ?? { value: toData(value, 0) ?? safeString(value) };
  };
  if (Object.hasOwn(error, 'cause')) {
    const cause = member(read(error, 'cause'));
    if (cause !== undefined) out.cause = cause;
  }
  const errors = read(error, 'errors');
  if (error instanceof AggregateError && Array.isArray(errors)) {
    out.errors = errors.slice(0, MAX_AGGREGATE).flatMap((e) => member(e) ?? []);
  }
  return out;
}

/** `value` when it is JSON data (plain objects, arrays, strings, finite numbers, booleans, null), else undefined. */
function toData(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'object' || depth > MAX_ERROR_DEPTH) return undefined;
  try {
    if (Array.isArray(value)) {
      const items = value.map((v) => toData(v, depth + 1));
      return items.includes(undefined) ? undefined : items;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return undefined;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = toData((value as Record<string, unknown>)[key], depth + 1);
      if (v === undefined) return undefined;
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  } catch {
    return undefined;
  }
}

function read(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function safeKeys(target: object): string[] {
  try {
    return Object.keys(target);
  } catch {
    return [];
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
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
