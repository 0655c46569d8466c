import { PluginError } from '@x/contract';

/** The last crash of an isolated plugin, as handle.stats() reports it. */
export interface CrashRecord {
  /** When it happened (ISO 8601). */
  readonly at: string;
  readonly code: string;
  readonly message: string;
}

/**
 * The isolate's memory as the plugin itself last reported it, in bytes (its answer to the
 * latest liveness ping or health check, `x/health` on the protocol). A worker's `heapUsed` and
 * `heapTotal` are its own isolate's; its `rss` is the whole host process's, which it shares.
 */
export interface MemoryRecord {
  readonly heapUsed: number;
  readonly heapTotal: number | undefined;
  readonly rss: number | undefined;
  /** When the plugin answered it (ISO 8601). */
  readonly at: string;
}

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
  /** Streams open now, and opened in all (a stream method's first next() opens it). */
  readonly streams: { readonly open: number; readonly total: number };
  /** The latest crash (isolated plugins), or undefined if it never crashed. */
  readonly lastCrash: CrashRecord | undefined;
  /** The isolate's heap (isolated plugins that answer x/health with it); undefined in-process. */
  readonly memory: MemoryRecord | undefined;
  /** Whether its event loop fails to answer the liveness ping now (unresponsiveTimeout). */
  readonly unresponsive: boolean;
  /** Fresh instances swapped in by watch mode (`watch: true`). */
  readonly reloads: number;
}

/** What the call pipeline counts; the rest of PluginStats is the supervisor's. */
export type CallCounts = Pick<
  PluginStats,
  'calls' | 'errors' | 'errorsByCode' | 'inFlight' | 'latencyMs' | 'streams'
>;

/** What an in-process plugin reports beyond its calls: it cannot crash, hang apart, or reload. */
export const IN_PROCESS_LIFE = Object.freeze({
  restarts: 0,
  lastCrash: undefined,
  memory: undefined,
  unresponsive: false,
  reloads: 0,
});

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
  private streams = 0;
  private readonly byCode: Record<string, number> = Object.create(null);
  // Grown as calls are timed, up to WINDOW: a host of 1,000 handles that are each called a few
  // times must not hold 1,000 zeroed 8 KiB rings (the scale bench's profile: ~0.3 s and 8 MB).
  private latencies = new Float64Array(16);
  private count = 0;

  settled(error: unknown, latencyMs: number): void {
    this.calls++;
    if (error !== undefined) {
      this.errors++;
      const code = PluginError.isInstance(error) ? error.code : 'unknown';
      this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    }
    if (latencyMs > 0) {
      if (this.count === this.latencies.length && this.count < WINDOW) {
        const grown = new Float64Array(Math.min(WINDOW, this.count * 4));
        grown.set(this.latencies);
        this.latencies = grown;
      }
      this.latencies[this.count++ % WINDOW] = latencyMs;
    }
  }

  streamOpened(): void {
    this.streams++;
  }

  snapshot(inFlight: number, openStreams: number): CallCounts {
    const n = Math.min(this.count, WINDOW);
    const sorted = this.latencies.slice(0, n).sort();
    const at = (q: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(q * n))]!);
    return {
      calls: this.calls,
      errors: this.errors,
      errorsByCode: { ...this.byCode },
      inFlight,
      latencyMs: { p50: at(0.5), p99: at(0.99) },
      streams: { open: openStreams, total: this.streams },
    };
  }
}
