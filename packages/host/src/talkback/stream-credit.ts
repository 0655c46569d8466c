// How much credit the host gives a stream from a plugin in a worker or process (docs/protocol.md,
// "Streams"): bounded in items and in bytes. Items: the wire's `credit` / `n`, which a plugin on
// any @x/contract honours. Bytes, two ways: the wire's optional `bytes` credit, which a plugin on
// this @x/contract honours (it stops once the bytes it sent, by `itemBytes`, reach it: at most one
// item over); and, for an older plugin that ignores `bytes`, a window in items sized by the largest
// item seen so far.

/** Items of credit a stream starts with, before any item has shown its size. */
export const DEFAULT_STREAM_CREDIT = 64;
/** The most items a stream may have outstanding (granted, not yet taken by the consumer). */
export const MAX_STREAM_CREDIT = 1024;
/**
 * The most bytes (by `itemBytes`) a stream may have outstanding. Measured (bench/talkback.bench.mjs,
 * a process plugin, 16 MiB of 64 KiB chunks): every `x/credit` wakes the plugin, and on a busy
 * 2-core machine the host's write of one stalled the stream ~0.3–1 ms; the 64-item window (4 MiB
 * of such chunks) cost 8 of them per stream, this one 2.
 */
export const STREAM_CREDIT_BYTES = 16 * 1024 * 1024;

/** The window, in items, for items of up to `largest` bytes: never under 1, never over `maxItems`. */
export function creditWindow(
  largest: number,
  maxItems = MAX_STREAM_CREDIT,
  maxBytes = STREAM_CREDIT_BYTES,
): number {
  return Math.max(1, Math.min(maxItems, Math.floor(maxBytes / Math.max(1, largest))));
}
