import type { Logger } from '../logger.js';
import type { Connection } from './connection.js';

/** What onUnresponsive receives: the plugin stopped answering, or answers again. */
export interface UnresponsiveReport {
  readonly plugin: string;
  /** true: its event loop has not answered for `silentMs`; false: it answered again. */
  readonly unresponsive: boolean;
  readonly silentMs: number;
  /** With profileOnHang: the .cpuprofile written of the hung plugin (then it is ended). */
  readonly profile?: string;
}

export const DEFAULT_UNRESPONSIVE_TIMEOUT_MS = 3_000;
export const UNRESPONSIVE_CODE = 'ERR_PLUGIN_UNRESPONSIVE';

export interface LivenessOptions {
  readonly plugin: string;
  readonly logger: Logger;
  readonly timeoutMs: number;
  /** Each answer's facts (its heap), for handle.stats().memory. */
  readonly onFacts: (facts: Readonly<Record<string, unknown>>) => void;
  /** Called once per change, after the log line. */
  readonly onChange: (report: UnresponsiveReport) => void;
}

export interface Liveness {
  readonly unresponsive: boolean;
  /** Pings this connection from now on (a new one after a restart or reload). */
  watch(c: Connection | undefined): void;
  stop(): void;
}

/**
 * VS Code's unresponsive detection, on the protocol's x/health: one ping at a time, a new one
 * every `timeoutMs / 3` (at most a second apart); a ping unanswered for `timeoutMs` marks the
 * plugin unresponsive, long before a call's timeout would (calls have none by default), and the
 * next answer marks it responsive again. The bootstrap answers x/health from the plugin's event
 * loop, so a plugin busy in a loop, or blocked in Atomics.wait, cannot answer it. Nothing here
 * holds the host's event loop: an idle host still exits.
 */
export function watchLiveness(options: LivenessOptions): Liveness {
  const { plugin, logger, timeoutMs } = options;
  const every = Math.min(1000, Math.max(10, Math.floor(timeoutMs / 3)));
  let current: Connection | undefined;
  let sentAt: number | undefined;
  let unresponsive = false;
  let timer: NodeJS.Timeout | undefined;

  const change = (now: boolean, silentMs: number) => {
    unresponsive = now;
    const ms = Math.round(silentMs);
    if (now) {
      logger.log(
        'warn',
        `Plugin "${plugin}" is unresponsive: its event loop has not answered a liveness ping for ${ms} ms. ` +
          'It is busy in synchronous code (a loop, a blocking call), so every call to it waits. ' +
          'Find the code that blocks (profileOnHang: true writes a CPU profile of it), or make it asynchronous.',
        { plugin, code: UNRESPONSIVE_CODE, silentMs: ms },
      );
    } else {
      logger.log('info', `Plugin "${plugin}" is responsive again, after ${ms} ms.`, {
        plugin,
        code: UNRESPONSIVE_CODE,
        responsive: true,
        silentMs: ms,
      });
    }
    options.onChange({ plugin, unresponsive: now, silentMs: ms });
  };

  const tick = () => {
    const c = current;
    if (c === undefined) return;
    if (sentAt !== undefined) {
      const silent = performance.now() - sentAt;
      if (!unresponsive && silent >= timeoutMs) change(true, silent);
      return;
    }
    const started = performance.now();
    sentAt = started;
    // No deadline of its own: the tick above measures the silence, and the one answer ends it.
    c.ping(2 ** 31 - 1, false).then(
      (facts) => {
        if (c !== current) return;
        sentAt = undefined;
        options.onFacts(facts);
        if (unresponsive) change(false, performance.now() - started);
      },
      () => {
        // The connection ended (a crash, a close): the supervisor reports that, not this.
        if (c === current) sentAt = undefined;
      },
    );
  };

  return {
    get unresponsive() {
      return unresponsive;
    },
    watch(c) {
      current = c;
      sentAt = undefined;
      unresponsive = false;
      if (c === undefined) return;
      if (timer === undefined) {
        timer = setInterval(tick, every);
        timer.unref();
      }
      tick();
    },
    stop() {
      current = undefined;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
