import { LazyAbort, type MethodSpec } from '@x/contract';
import type { CompiledMethod } from '@x/contract/validate';
import { callTraced } from '../observe/trace-call.js';
import { callFailed } from './call-errors.js';
import type { CallTarget } from './call-pipeline.js';
import { CallClock, type CallStats } from './call-stats.js';

/** A plugin whose methods run on this thread (in-process). */
export interface DirectTarget {
  /** Calls a method with its trailing `{ signal }`: its raw answer, or a throw of its own error. */
  invoke(method: string, args: readonly unknown[], call: LazyAbort): unknown;
  /** The plugin object itself, when `invoke` is no more than `self[method](...args, call)`. */
  readonly self?: Record<string, unknown>;
}

/** What the fast path reads of its pipeline, each call. */
export interface DirectState {
  readonly plugin: string;
  readonly stats: CallStats;
  readonly callTimeout: number | undefined;
  /** No more calls (closed), or at the maxPendingCalls cap: the full path decides what happens. */
  blocked(): boolean;
  /** The full path: every check, timer and error of `call` (with no per-call options). */
  slow(method: string, args: unknown[]): Promise<unknown>;
  /** The handle was closed (by the method itself, re-entrantly): the call fails with ERR_PLUGIN_CLOSED, as before. */
  closedDuring(): Promise<never> | undefined;
  /** Waits for an answer that is a promise, as a call in flight of the full path. */
  adopt(method: string, target: CallTarget): Promise<unknown>;
}

// Two clock reads cost more than the rest of a fast call (profile: performance.now() was 4% of
// the time with one call in 16 timed, on a machine where a read is ~40 ns), so one in 64 is timed
// once the first 1,024 calls were (CallClock).
const SAMPLE_EVERY = 64;

/**
 * The `{ signal }` of a fast call that can never be cancelled (no timeout, no per-call signal:
 * close() fails a call but does not abort it). Shared, so that the call allocates nothing for it;
 * each read makes a fresh AbortSignal that never fires, so that listeners a method adds to it
 * are collected with it instead of piling up on one shared signal.
 */
const QUIET: LazyAbort = Object.freeze(
  Object.create(LazyAbort.prototype, {
    signal: { get: () => new AbortController().signal, enumerable: true },
    aborted: { value: false },
    abort: { value: () => {} },
    onAbort: { value: () => () => {} },
  }),
);

// An async function's promise is the cheapest way to answer a value: measured in the in-process
// bench, `Promise.resolve(v)` cost ~15 ns more per awaited call than an `async` function returning it.
const resolved = async (value: unknown) => value;

type Method = (...args: unknown[]) => unknown;

/**
 * `handle.plugin.<method>` for a plugin that runs on the host's thread: the in-process fast path
 * (packages/host/README.md, "Where the time goes"). A call with no subscriber on `x-plugin:call`,
 * a handle that is open and under its caps, and arguments that fit is made here: the compiled
 * checks of each argument, the method itself, the compiled answer check and a counter. It
 * allocates only the caller's promise (and a LazyAbort when a callTimeout may cancel it), makes
 * no arguments array for a method of up to three params, and takes no extra microtask turn.
 * Anything else (a wrong argument, a tracer listening, a closed handle) takes the full path,
 * which makes the same errors and events as before; an answer that is a promise becomes a call in
 * flight there (the callTimeout and close() apply to it from then on).
 */
export function directMethod(
  state: DirectState,
  method: string,
  spec: MethodSpec,
  compiled: CompiledMethod,
  target: DirectTarget,
): (...args: unknown[]) => Promise<unknown> {
  const isVoid = spec.returns === 'void';
  const clock = new CallClock(SAMPLE_EVERY);
  // Only a timeout (callTimeout) can cancel a call made here: without one, nothing to allocate.
  const context = () => (state.callTimeout === undefined ? QUIET : new LazyAbort());
  const shut = () => callTraced() || state.blocked();
  const threw = (error: unknown) => {
    const failed = callFailed(state.plugin, method, error);
    state.stats.settled(failed, 0);
    return Promise.reject(failed);
  };
  const answered = (answer: unknown, call: LazyAbort, started: number) => {
    const closed = state.closedDuring();
    if (closed !== undefined) return closed;
    try {
      // Read inside a try: a hostile answer's `then` may be a getter that throws.
      if (typeof (answer as PromiseLike<unknown> | null)?.then === 'function') {
        return state.adopt(method, awaiting(state.plugin, method, answer, call));
      }
    } catch (error) {
      return threw(error);
    }
    // A wrong answer: the full path checks it again and makes the error that blames the plugin.
    if (!compiled.fitsResult(answer)) return state.adopt(method, already(answer));
    state.stats.settled(undefined, CallClock.since(started));
    return resolved(isVoid ? undefined : answer);
  };
  const { self } = target;
  const { min, max } = compiled.arity;
  const [fit0, fit1, fit2] = compiled.fits;
  // Methods of up to three params, none optional, get a function of that arity: a rest parameter
  // would cost an array per call (~20 ns in the in-process bench, a third of the baseline).
  // biome-ignore-start lint/complexity/noArguments: arguments.length is how a fixed-arity function sees a wrong count without a rest array
  if (self !== undefined && min === max && max === 0) {
    return function direct0() {
      if (arguments.length !== 0 || shut()) return state.slow(method, Array.from(arguments));
      const started = clock.start();
      const call = context();
      let answer: unknown;
      try {
        answer = (self[method] as Method).call(self, call);
      } catch (error) {
        return threw(error);
      }
      return answered(answer, call, started);
    };
  }
  if (self !== undefined && min === max && max === 1) {
    return function direct1(a: unknown) {
      if (arguments.length !== 1 || shut() || !fit0!(a)) return state.slow(method, Array.from(arguments));
      const started = clock.start();
      const call = context();
      let answer: unknown;
      try {
        answer = (self[method] as Method).call(self, a, call);
      } catch (error) {
        return threw(error);
      }
      return answered(answer, call, started);
    };
  }
  if (self !== undefined && min === max && max === 2) {
    return function direct2(a: unknown, b: unknown) {
      if (arguments.length !== 2 || shut() || !fit0!(a) || !fit1!(b)) {
        return state.slow(method, Array.from(arguments));
      }
      const started = clock.start();
      const call = context();
      let answer: unknown;
      try {
        answer = (self[method] as Method).call(self, a, b, call);
      } catch (error) {
        return threw(error);
      }
      return answered(answer, call, started);
    };
  }
  if (self !== undefined && min === max && max === 3) {
    return function direct3(a: unknown, b: unknown, c: unknown) {
      if (arguments.length !== 3 || shut() || !fit0!(a) || !fit1!(b) || !fit2!(c)) {
        return state.slow(method, Array.from(arguments));
      }
      const started = clock.start();
      const call = context();
      let answer: unknown;
      try {
        answer = (self[method] as Method).call(self, a, b, c, call);
      } catch (error) {
        return threw(error);
      }
      return answered(answer, call, started);
    };
  }
  // biome-ignore-end lint/complexity/noArguments: (end of the fixed-arity functions)
  // Optional params, more than three, or a call scope (a factory's ctx.host): one array per call.
  return (...args) => {
    if (shut() || compiled.checkArgs(args) !== undefined) return state.slow(method, args);
    const started = clock.start();
    const call = context();
    let answer: unknown;
    try {
      answer = target.invoke(method, args, call);
    } catch (error) {
      return threw(error);
    }
    return answered(answer, call, started);
  };
}

/** A target whose one call is already running: its promise settles it (and the LazyAbort stops it). */
function awaiting(plugin: string, method: string, answer: unknown, call: LazyAbort): CallTarget {
  return {
    send(_method, _args, done) {
      Promise.resolve(answer).then(
        (result) => done(undefined, result),
        (error: unknown) => done(callFailed(plugin, method, error)),
      );
      return () => call.abort();
    },
    queuedBytes: () => 0,
  };
}

/** A target whose one call has answered already: the full path checks the answer (and blames the plugin). */
function already(answer: unknown): CallTarget {
  return {
    send(_method, _args, done) {
      done(undefined, answer);
      return undefined;
    },
    queuedBytes: () => 0,
  };
}
