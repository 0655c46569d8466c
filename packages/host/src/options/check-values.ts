// Small predicates for option values, shared by the load and call option checks.

/** The largest delay setTimeout honours: a longer one fires at once (Node warns and uses 1 ms). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function isTimeout(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_TIMEOUT_MS;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A real AbortSignal, also one made by another realm (a worker, a vm context), which instanceof misses. */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) return true;
  return (
    Object.prototype.toString.call(value) === '[object AbortSignal]' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

export function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}
