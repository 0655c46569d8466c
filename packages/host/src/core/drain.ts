import type { PluginError } from '@x/contract';
import type { Done, SendCall } from './call-pipeline.js';
import type { Connection } from './connection.js';

/** How long an instance replaced by a reload may take to answer its calls before it is ended. */
export const DRAIN_MS = 30_000;

/**
 * Watch mode's hand-over: each connection's own calls, so that an instance replaced by a reload
 * answers the calls it holds, then has its dispose hooks run and is ended. A replaced instance
 * that still holds calls after DRAIN_MS, or dies meanwhile, fails them: a reload never leaves a
 * call hanging. Costs one closure per call, so only watched handles use it.
 */
export class Drain {
  private readonly held = new Map<Connection, Set<Done>>();
  private readonly draining = new Map<Connection, NodeJS.Timeout>();

  constructor(
    private readonly ending: Set<Promise<void>>,
    private readonly timeoutError: () => PluginError,
  ) {}

  /** A send over `c` that knows which calls it holds. */
  send(c: Connection): SendCall {
    const calls = new Set<Done>();
    this.held.set(c, calls);
    return (method, args, done, timeout, watched) => {
      const settle: Done = (error, result) => {
        calls.delete(settle);
        done(error, result);
        if (calls.size === 0) this.retired(c);
      };
      calls.add(settle);
      return c.send(method, args, settle, timeout, watched);
    };
  }

  isDraining(c: Connection): boolean {
    return this.draining.has(c);
  }

  /** `c` was replaced: end it once its calls are answered (or DRAIN_MS passed). */
  retire(c: Connection): void {
    const timer = setTimeout(() => this.fail(c, this.timeoutError()), DRAIN_MS);
    timer.unref();
    this.draining.set(c, timer);
    if ((this.held.get(c)?.size ?? 0) === 0) this.retired(c);
  }

  /** Fails the calls a replaced `c` holds (it died, the handle closes), then ends it. */
  fail(c: Connection, error: PluginError): void {
    for (const done of [...(this.held.get(c) ?? [])]) done(error);
    this.retired(c);
  }

  failAll(error: PluginError): void {
    for (const c of [...this.draining.keys()]) this.fail(c, error);
  }

  private retired(c: Connection): void {
    const timer = this.draining.get(c);
    if (timer === undefined) return; // Still the current instance.
    clearTimeout(timer);
    this.draining.delete(c);
    this.held.delete(c);
    const done: Promise<void> = (c.dispose?.() ?? Promise.resolve())
      .then(() => c.close())
      .catch(() => {})
      .finally(() => this.ending.delete(done));
    this.ending.add(done);
  }
}
