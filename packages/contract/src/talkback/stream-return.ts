// How a method's `returns` says "a stream": what `t.stream(T)` builds, the JSON Schema
// `{ type: 'AsyncIterator', items: T }` (TypeBox's AsyncIterator), read here in one place for the
// host, the SDK and the plugin side of the wire.

/** Whether a method's `returns` declares a stream (an async generator in the plugin). */
export function isStreamReturn(returns: unknown): boolean {
  if (typeof returns !== 'object' || returns === null) return false;
  return (returns as Record<string, unknown>).type === 'AsyncIterator';
}
