// The size of a stream item, as both ends of a stream count it against the credit's bytes
// (docs/protocol.md, "Streams"). Both must agree, so it is one function of the value, in this
// package: the host counts what it received with it, the plugin what it sent.

/** What an item of no size of its own (a number, null, a boolean) counts as. */
const SCALAR_BYTES = 16;
/** How many entries of an array or object are looked at (the rest are taken to be alike). */
const SAMPLED_ENTRIES = 32;

/**
 * A stream item's size in bytes, estimated cheaply: exact for bytes and strings (the items that
 * are large: 2 bytes a UTF-16 unit), a bounded walk for arrays and objects (two levels, 32 entries
 * each, extrapolated to their length), 16 for anything else. An estimate, not an encoding: it only
 * sizes the credit. Never throws: a getter that throws counts as a scalar.
 */
export function itemBytes(value: unknown, depth = 2): number {
  if (typeof value === 'string') return 2 * value.length;
  if (typeof value !== 'object' || value === null) return SCALAR_BYTES;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (depth === 0) return SCALAR_BYTES * 4;
  let values: unknown[];
  try {
    values = Array.isArray(value) ? value : Object.values(value);
  } catch {
    return SCALAR_BYTES;
  }
  const sampled = Math.min(values.length, SAMPLED_ENTRIES);
  let bytes = 0;
  for (let i = 0; i < sampled; i++) bytes += SCALAR_BYTES + itemBytes(values[i], depth - 1);
  return SCALAR_BYTES + (sampled === 0 ? 0 : Math.ceil((bytes / sampled) * values.length));
}
