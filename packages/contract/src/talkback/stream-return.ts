// How a method's `returns` says "a stream": `t.stream(T)` comes with the schemas branch; until
// then, the plain-data forms it may take are recognised here, in one place, so that the lead can
// align them: `{ type: 'stream', items }`, `{ 'x-kind': 'stream', items }`.

/** Whether a method's `returns` declares a stream (an async generator in the plugin). */
export function isStreamReturn(returns: unknown): boolean {
  if (typeof returns !== 'object' || returns === null) return false;
  const r = returns as Record<string, unknown>;
  return r.type === 'stream' || r['x-kind'] === 'stream';
}
