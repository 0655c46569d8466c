import type { PluginStats } from '../core/call-stats.js';
import type { PluginHandle } from '../handle/plugin-handle.js';
import type { Isolation } from '../manifest.js';

/** One plugin's line in host.stats(). */
export interface PluginStatsEntry {
  readonly name: string;
  readonly version: string;
  readonly isolation: Isolation;
  readonly stats: PluginStats;
}

/**
 * host.stats(): the sums over the plugins this host holds open, and each plugin's own stats.
 * Latency percentiles do not add up across plugins, so they are only per plugin.
 */
export interface HostStats {
  /** Plugins loaded and not closed. */
  readonly plugins: number;
  readonly calls: number;
  readonly errors: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  readonly inFlight: number;
  readonly restarts: number;
  readonly reloads: number;
  readonly streams: { readonly open: number; readonly total: number };
  /** How many plugins are unresponsive now. */
  readonly unresponsive: number;
  /** The isolates' heaps summed (plugins that report one), in bytes. */
  readonly heapUsed: number;
  readonly byPlugin: readonly PluginStatsEntry[];
}

export function hostStats(handles: readonly PluginHandle[]): HostStats {
  const byPlugin = handles.map((h) => ({
    name: h.name,
    version: h.version,
    isolation: h.isolation,
    stats: h.stats(),
  }));
  const errorsByCode: Record<string, number> = {};
  let calls = 0;
  let errors = 0;
  let inFlight = 0;
  let restarts = 0;
  let reloads = 0;
  let open = 0;
  let total = 0;
  let unresponsive = 0;
  let heapUsed = 0;
  for (const { stats: s } of byPlugin) {
    calls += s.calls;
    errors += s.errors;
    inFlight += s.inFlight;
    restarts += s.restarts;
    reloads += s.reloads;
    open += s.streams.open;
    total += s.streams.total;
    if (s.unresponsive) unresponsive++;
    heapUsed += s.memory?.heapUsed ?? 0;
    for (const [code, n] of Object.entries(s.errorsByCode))
      errorsByCode[code] = (errorsByCode[code] ?? 0) + n;
  }
  return {
    plugins: byPlugin.length,
    calls,
    errors,
    errorsByCode,
    inFlight,
    restarts,
    reloads,
    streams: { open, total },
    unresponsive,
    heapUsed,
    byPlugin,
  };
}
