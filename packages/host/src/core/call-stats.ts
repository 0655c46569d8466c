import { PluginError } from '@x/contract';

/** What handle.stats() answers (DESIGN.md, Operations). */
export interface PluginStats {
  /** Calls settled, answered or failed. */
  readonly calls: number;
  /** Calls that failed, and how, by code. */
  readonly errors: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  readonly inFlight: number;
  /** Over the last 1024 timed calls that reached the plugin (all of the first 1024, then a steady sample). */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly restarts: number;
}

const WINDOW = 1024;
/** Every call is timed until this many were, then one in `every` (CallStats.start). */
const TIME_ALL = WINDOW;

/**
 * A clock read is not free: ~40 ns on an idle Linux machine, and measured at ~1–1.6 µs on the
 * bench machine (a VM whose clock_gettime is a real system call), twice per call. p50/p99 of a
 * steady sample of calls is still p50/p99, so past the first TIME_ALL calls only one in `every`
 * is timed: `start()` answers its start time, or 0 for a call that is not timed.
 */
export class CallClock {
  private count = 0;

  constructor(private readonly every: number) {}

  start(): number {
    return ++this.count <= TIME_ALL || this.count % this.every === 0 ? performance.now() : 0;
  }

  /** The call's latency in ms, or 0 (not recorded) for a call that was not timed. */
  static since(started: number): number {
    return started === 0 ? 0 : performance.now() - started;
  }
}

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
