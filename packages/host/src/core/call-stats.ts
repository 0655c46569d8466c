import { PluginError } from '@x/contract';

/** What handle.stats() answers (DESIGN.md, Operations). */
export interface PluginStats {
  /** Calls settled, answered or failed. */
  readonly calls: number;
  /** Calls that failed, and how, by code. */
  readonly errors: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  readonly inFlight: number;
  /** Over the last 1024 calls that reached the plugin. */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly restarts: number;
}

const WINDOW = 1024;

/** Counters and a ring of recent latencies: a few operations per call, sorted only when asked. */
export class CallStats {
  private calls = 0;
  private errors = 0;
  private readonly byCode: Record<string, number> = Object.create(null);
  private readonly latencies = new Float64Array(WINDOW);
  private count = 0;

  settled(error: unknown, latencyMs: number): void {
    this.calls++;
    if (error !== undefined) {
      this.errors++;
      const code = PluginError.isInstance(error) ? error.code : 'unknown';
      this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    }
    if (latencyMs > 0) this.latencies[this.count++ % WINDOW] = latencyMs;
  }

  snapshot(inFlight: number): Omit<PluginStats, 'restarts'> {
    const n = Math.min(this.count, WINDOW);
    const sorted = this.latencies.slice(0, n).sort();
    const at = (q: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(q * n))]!);
    return {
      calls: this.calls,
      errors: this.errors,
      errorsByCode: { ...this.byCode },
      inFlight,
      latencyMs: { p50: at(0.5), p99: at(0.99) },
    };
  }
}
