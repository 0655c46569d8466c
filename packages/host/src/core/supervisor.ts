import { PluginError } from '@x/contract';
import { closed as closedError, crashed, stoppedAfterCrashes } from '../errors.js';
import type { HealthReport, IsolatedState } from '../handle/plugin-handle.js';
import type { Logger } from '../logger.js';
import type { CallTarget } from './call-pipeline.js';
import type { CrashRecord, MemoryRecord, PluginStats } from './call-stats.js';
import type { Connection, ExitInfo, StartConnection } from './connection.js';
import { Drain } from './drain.js';
import { type UnresponsiveReport, watchLiveness } from './liveness.js';
import { type ProfileOnHang, type Profiler, writeHangProfile } from './profile-on-hang.js';
import { CrashWindow, type RestartPolicy } from './restart-policy.js';

export interface SupervisorOptions {
  readonly plugin: string;
  readonly logger: Logger;
  /** The connection the load started (already handshaken and conformed); undefined: lazy, started on the first call. */
  readonly first: Connection | undefined;
  /** Starts a fresh plugin and completes its handshake: for every restart, a lazy start, and after an idle stop. */
  readonly restart: StartConnection;
  /** ms with no call in flight after which the plugin is stopped (not a crash); undefined: never. */
  readonly idleTimeout?: number | undefined;
  readonly policy: RestartPolicy | false;
  readonly healthTimeout: number;
  readonly onCrash: ((error: PluginError) => void) | undefined;
  /** Fails every call in flight (the call pipeline's failAll). */
  readonly failCalls: (error: PluginError) => void;
  /** Whether calls are in flight: an idle plugin lets the host's event loop end. */
  readonly inFlight: () => number;
  /**
   * After a restart (its config and host functions already re-applied by the restart itself): the
   * load option onRestart, to rebuild whatever else the application had set up.
   */
  readonly onRestart?: () => void | Promise<void>;
  /** The liveness ping's threshold (ms), or false for none (go-plugin, or the caller's choice). */
  readonly unresponsiveTimeout?: number | false;
  readonly onUnresponsive?: (report: UnresponsiveReport) => void;
  /** Profile a plugin found unresponsive, then end it; with the runtime's way to profile. */
  readonly profileOnHang?: { readonly options: ProfileOnHang; readonly profiler: Profiler };
  /**
   * Watch mode: count each connection's own calls, so that an instance replaced by reload()
   * answers the calls it holds before it is ended.
   */
  readonly drain?: boolean;
}

/** The parts of handle.stats() the supervisor knows. */
export type LifeStats = Pick<PluginStats, 'restarts' | 'lastCrash' | 'memory' | 'unresponsive' | 'reloads'>;

export interface Supervisor {
  /** The plugin to call now, once restarted, or a throw when it is stopped or closed. */
  target(): CallTarget | Promise<CallTarget>;
  readonly state: IsolatedState;
  readonly restarts: number;
  readonly pid: number | undefined;
  readonly threadId: number | undefined;
  health(): Promise<HealthReport>;
  life(): LifeStats;
  /**
   * Swaps in a fresh instance (watch mode): new calls go to it at once, the calls in flight
   * finish on the old one, which is then disposed and ended. `restart` replaces how a crashed
   * plugin is started again, since the code changed.
   */
  reload(next: Connection, restart: StartConnection): Promise<void>;
  close(): Promise<void>;
}

export function describeExit(info: ExitInfo): string {
  if (info.error !== undefined) return `${info.error.name}: ${info.error.message}`;
  return info.signal !== null ? `killed by ${info.signal}` : `exit code ${info.code}`;
}

/**
 * One supervisor for every isolated runtime (go-plugin's lifecycle, apart from its protocol):
 * watches the connection's exit, fails calls in flight with ERR_PLUGIN_CRASHED, restarts under
 * the crash window (VS Code's 3 in 5 minutes), checks a plugin whose call timed out for a hang,
 * and ends it on close().
 */
export function supervise(options: SupervisorOptions): Supervisor {
  const { plugin } = options;
  const log = (level: 'warn' | 'error', message: string, fields: Record<string, unknown> = {}) =>
    options.logger.log(level, message, { plugin, ...fields });
  let connection: Connection | undefined = options.first;
  let target: CallTarget | undefined;
  let state: IsolatedState = options.first === undefined ? 'idle' : 'running';
  let ready: Promise<CallTarget> | undefined;
  let stopError: Error | undefined;
  let restarts = 0;
  let checkingHealth = false;
  let reloads = 0;
  let lastCrash: CrashRecord | undefined;
  let memory: MemoryRecord | undefined;
  let startAgain = options.restart;
  const crashes = new CrashWindow(options.policy);
  const liveness =
    options.unresponsiveTimeout === false || options.unresponsiveTimeout === undefined
      ? undefined
      : watchLiveness({
          plugin,
          logger: options.logger,
          timeoutMs: options.unresponsiveTimeout,
          onFacts: (facts) => {
            if (typeof facts.heapUsed !== 'number') return;
            const n = (v: unknown) => (typeof v === 'number' ? v : undefined);
            memory = {
              heapUsed: facts.heapUsed,
              heapTotal: n(facts.heapTotal),
              rss: n(facts.rss),
              at: new Date().toISOString(),
            };
          },
          onChange: (report) => {
            options.onUnresponsive?.(report);
            if (report.unresponsive && options.profileOnHang !== undefined)
              void profileAndEnd(report.silentMs);
          },
        });

  /** profileOnHang: profile the plugin while it hangs, report the file, then end it (if still hung). */
  async function profileAndEnd(silentMs: number): Promise<void> {
    const c = connection;
    if (c === undefined || options.profileOnHang === undefined) return;
    const { options: where, profiler } = options.profileOnHang;
    const path = await writeHangProfile(plugin, c, profiler, where, options.logger);
    if (path !== undefined) options.onUnresponsive?.({ plugin, unresponsive: true, silentMs, profile: path });
    if (c !== connection || state !== 'running' || liveness?.unresponsive !== true) return;
    onCrash(
      c,
      `hung: its event loop did not answer a liveness ping for ${silentMs} ms${path === undefined ? '' : ` (CPU profile: ${path})`}`,
    );
  }

  let idleTimer: NodeJS.Timeout | undefined;
  const stopIdleTimer = () => {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = undefined;
  };
  const settle = (c: Connection) => {
    if (options.inFlight() !== 0 || state === 'restarting') return;
    c.unref();
    armIdle(c);
  };
  const armIdle = (c: Connection) => {
    if (options.idleTimeout === undefined || c !== connection) return;
    stopIdleTimer();
    // unref'd: an idle plugin's timer must not keep the host alive any more than the plugin does.
    idleTimer = setTimeout(() => stopIdle(c), options.idleTimeout);
    idleTimer.unref();
  };

  /** Idle for idleTimeout: stopped like close() (dispose hooks, then the end), but the next call starts it again. */
  function stopIdle(c: Connection): void {
    idleTimer = undefined;
    if (c !== connection || state !== 'running' || options.inFlight() !== 0) return;
    connection = undefined;
    target = undefined;
    state = 'idle';
    liveness?.watch(undefined);
    options.logger.log(
      'debug',
      `Stopped after ${options.idleTimeout} ms without a call; the next call starts it again.`,
      {
        plugin,
      },
    );
    const done: Promise<void> = (async () => {
      c.ref();
      await c.dispose?.();
      await c.close();
    })()
      .catch(() => {})
      .finally(() => ending.delete(done));
    ending.add(done);
  }

  /** A lazy or idle plugin's start, shared by every call that arrives while it runs. */
  function startNow(): Promise<CallTarget> {
    state = 'starting';
    ready = options.restart().then(
      (next) => {
        if (state === 'closed') {
          end(next);
          throw closedError(plugin);
        }
        connection = next;
        state = 'running';
        watch(next);
        return target!;
      },
      (failure: unknown) => {
        if (state === 'closed') throw closedError(plugin);
        // Not a crash and not a stop: the calls that waited fail with the start's own coded error,
        // and the next call tries again (the plugin or its files may have been fixed meanwhile).
        state = 'idle';
        ready = undefined;
        throw failure;
      },
    );
    ready.catch(() => {});
    return ready;
  }

  /** The pipeline's view of one connection, made once per connection rather than per call. */
  const targetOf = (c: Connection): CallTarget => ({
    send:
      drain === undefined
        ? (method, args, done, timeout, watched) => c.send(method, args, done, timeout, watched)
        : drain.send(c),
    queuedBytes: () => c.queuedBytes(),
    stopped: () => void checkHung(c),
    busy: () => {
      stopIdleTimer();
      c.ref();
    },
    idle: () => settle(c),
    ...(c.openStream === undefined
      ? {}
      : { openStream: (method: string, args: readonly unknown[]) => c.openStream!(method, args) }),
  });

  // Connections being ended after a crash: close() waits for them too, so that when it settles
  // nothing of the plugin is left (a crashed go-plugin's socket, a detached grandchild).
  const ending = new Set<Promise<void>>();
  const end = (c: Connection) => {
    const done: Promise<void> = c
      .close()
      .catch(() => {})
      .finally(() => ending.delete(done));
    ending.add(done);
  };
  // Watch mode: a replaced instance answers the calls it holds before it is ended.
  const drain = options.drain ? new Drain(ending, () => closedError(plugin)) : undefined;

  const watch = (c: Connection) => {
    target = targetOf(c);
    // A fresh connection has no call in flight yet (a waiting first call is sent right after).
    liveness?.watch(c);
    c.unref();
    armIdle(c);
    c.exited.then((info) => {
      // A replaced instance that dies while answering its last calls fails them as a crash.
      if (drain?.isDraining(c))
        drain.fail(c, crashed(plugin, describeExit(info), c.recentOutput(), info.error));
      if (c !== connection || state === 'closed') return;
      onCrash(c, describeExit(info), info.error);
    });
  };

  function onCrash(c: Connection, how: string, cause?: unknown): void {
    // A plugin stopped for flooding fails its calls with that reason (ERR_PLUGIN_FLOOD), not a crash.
    const error =
      PluginError.isInstance(cause) && cause.code === 'ERR_PLUGIN_FLOOD'
        ? cause
        : crashed(plugin, how, c.recentOutput(), cause);
    options.failCalls(error);
    connection = undefined;
    target = undefined;
    stopIdleTimer();
    liveness?.watch(undefined);
    lastCrash = { at: new Date().toISOString(), code: error.code, message: error.message };
    log('error', error.message, { code: error.code });
    options.onCrash?.(error);
    end(c);
    const { restart, crashes: count } = crashes.record();
    if (!restart) {
      stopError =
        options.policy === false ? error : stoppedAfterCrashes(plugin, count, options.policy.windowMs);
      state = 'stopped';
      if (options.policy !== false) log('error', stopError.message, { code: 'ERR_PLUGIN_CRASHED' });
      return;
    }
    state = 'restarting';
    ready = startAgain().then(
      (next) => {
        if (state === 'closed') {
          end(next);
          throw closedError(plugin);
        }
        restarts++;
        connection = next;
        state = 'running';
        watch(next);
        if (options.onRestart !== undefined) {
          // The application's hook must not break the restarted plugin: a throw is logged.
          void Promise.resolve()
            .then(options.onRestart)
            .catch((error: unknown) =>
              log('error', `onRestart threw: ${error instanceof Error ? error.message : String(error)}`),
            );
        }
        return target!;
      },
      (failure: unknown) => {
        state = 'stopped';
        stopError = failure instanceof Error ? failure : new Error(String(failure));
        log('error', `Restarting failed: ${stopError.message}`);
        throw stopError;
      },
    );
    ready.catch(() => {});
  }

  /** After a call timed out: a plugin whose event loop does not answer a health check is hung. */
  async function checkHung(c: Connection): Promise<void> {
    if (checkingHealth || c !== connection) return;
    checkingHealth = true;
    const report = await ping(c);
    checkingHealth = false;
    if (!report.ok && c === connection && state === 'running') {
      onCrash(
        c,
        `hung: no answer to a health check within ${options.healthTimeout} ms after a call timed out`,
      );
    }
  }

  async function ping(c: Connection): Promise<HealthReport> {
    const started = performance.now();
    c.ref();
    try {
      const facts = await c.ping(options.healthTimeout);
      return { ...facts, ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      settle(c);
    }
  }

  if (options.first !== undefined) watch(options.first);
  return {
    target() {
      if (state === 'running' && target !== undefined) return target;
      if (state === 'closed') throw closedError(plugin);
      if (state === 'stopped') throw stopError ?? closedError(plugin);
      if (state === 'idle') return startNow();
      return ready!;
    },
    get state() {
      return state;
    },
    get restarts() {
      return restarts;
    },
    get pid() {
      return connection?.pid;
    },
    get threadId() {
      return connection?.threadId;
    },
    life: () => ({ restarts, lastCrash, memory, unresponsive: liveness?.unresponsive ?? false, reloads }),
    async reload(next, nextRestart) {
      if (state === 'restarting') await ready?.catch(() => {});
      if (state === 'closed') {
        end(next);
        throw closedError(plugin);
      }
      const old = connection;
      startAgain = nextRestart;
      connection = next;
      state = 'running';
      stopError = undefined;
      reloads++;
      watch(next);
      if (old !== undefined && drain !== undefined) drain.retire(old);
      else if (old !== undefined) end(old);
    },
    async health() {
      if (state !== 'running' || connection === undefined)
        return { ok: false, reason: `the plugin is ${state}` };
      return ping(connection);
    },
    async close() {
      if (state === 'closed') return;
      const wasRestarting = state === 'restarting' || state === 'starting';
      state = 'closed';
      stopIdleTimer();
      liveness?.stop();
      drain?.failAll(closedError(plugin));
      options.failCalls(closedError(plugin));
      const c = connection;
      connection = undefined;
      target = undefined;
      if (c !== undefined) {
        // The dispose hooks run before the end, bounded (disposeTimeout): a stuck one cannot hang close().
        c.ref();
        await c.dispose?.();
        await c.close();
      }
      if (wasRestarting) await ready?.catch(() => {});
      await Promise.all(ending);
    },
  };
}
