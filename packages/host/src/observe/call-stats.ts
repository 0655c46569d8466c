import type { PluginErrorCode } from '@x/contract';

/** What `handle.stats()` reports (DESIGN.md, "Operations"). */
export interface PluginStats {
  /** Calls settled, answered or failed. */
  readonly calls: number;
  /** Calls that failed, whatever the reason. */
  readonly errors: number;
  readonly errorsByCode: Readonly<Partial<Record<PluginErrorCode | string, number>>>;
  /** Calls sent and not settled yet. */
  readonly inFlight: number;
  /** Of the last settled calls (at most LATENCY_WINDOW of them), in milliseconds. */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  /** How often an isolated plugin was restarted after a crash (0 in-process). */
  readonly restarts: number;
}

/** Latencies kept for the percentiles: a ring, so that a plugin called for a week costs the same memory as one called once. */
export const LATENCY_WINDOW = 1024;

const percentile = (sorted: Float64Array, q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/**
 * Counts of one handle's calls. The call path does two writes per call (begin, settle) and no
 * allocation; the percentiles are computed when asked, from a copy of the ring.
 */
export class CallStats {
  #calls = 0;
  #errors = 0;
  #inFlight = 0;
  readonly #byCode = new Map<string, number>();
  readonly #ring = new Float64Array(LATENCY_WINDOW);
  #next = 0;
  #filled = 0;

  /** A call was sent; returns its start time, for settle(). */
  begin(): number {
    this.#inFlight++;
    return performance.now();
  }

  /** A call begun at `started` settled: with `code` when it failed. */
  settle(started: number, code?: string): void {
    this.#inFlight--;
    this.#calls++;
    this.#ring[this.#next] = performance.now() - started;
    this.#next = (this.#next + 1) % LATENCY_WINDOW;
    if (this.#filled < LATENCY_WINDOW) this.#filled++;
    if (code === undefined) return;
    this.#errors++;
    this.#byCode.set(code, (this.#byCode.get(code) ?? 0) + 1);
  }

  snapshot(restarts: number): PluginStats {
    const sorted = this.#ring.slice(0, this.#filled).sort();
    return {
      calls: this.#calls,
      errors: this.#errors,
      errorsByCode: Object.fromEntries(this.#byCode),
      inFlight: this.#inFlight,
      latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) },
      restarts,
    };
  }
}
