import type { AnyContract, Client, Isolation, MethodSpec, PluginError } from '@x/contract';
import { compileContract } from '@x/contract/validate';
import { closed as closedError } from '../errors.js';
import { traceCall } from '../observe/trace-call.js';
import { traceStream } from '../observe/trace-stream.js';
import { refuseIfBusy } from './backpressure.js';
import { aborted, timedOut } from './call-errors.js';
import { readCallOptions, unknownMethod } from './call-input.js';
import { CallClock, type CallCounts, CallStats } from './call-stats.js';
import { checkAnswer, checkArgs } from './check-values.js';
import { type DirectTarget, directMethod } from './direct-call.js';
import { deferredIterable, pluginStream, type StreamSource } from './plugin-stream.js';
import { streamsUnsupported } from './stream-errors.js';

export interface CallOptions {
  /** Cancels the call: it fails with ERR_PLUGIN_ABORTED and the plugin is told to stop. */
  readonly signal?: AbortSignal;
  /** Fails the call with ERR_PLUGIN_TIMEOUT after this many milliseconds (overrides callTimeout). */
  readonly timeout?: number;
}

/** Settles one call: an error (already a PluginError, as the caller should see it), or the raw answer. */
export type Done = (error: unknown, result?: unknown) => void;

/**
 * Sends one call and calls `done` once with its outcome. Returns how to tell the plugin to stop
 * it (after a timeout or an abort), if the runtime can; `watched` is false when no timeout or
 * signal can stop it, so that a runtime may skip making that closure.
 */
export type SendCall = (
  method: string,
  args: readonly unknown[],
  done: Done,
  timeout: number | undefined,
  watched?: boolean,
) => (() => void) | undefined;

/** What a running plugin gives the pipeline: a way to send one call, and what backpressure needs. */
export interface CallTarget {
  readonly send: SendCall;
  /** Bytes written to the plugin and not yet read (0 where that cannot be known). */
  queuedBytes(): number;
  /** A call stopped waiting (timed out or aborted): the place to check whether the plugin hangs. */
  stopped?(): void;
  /** Calls are in flight (hold the host's event loop), or none are (let it end). */
  busy?(): void;
  idle?(): void;
  /** Opens a stream method's source (docs/protocol.md, "Streams"); absent where the runtime has none. */
  openStream?(method: string, args: readonly unknown[]): StreamSource;
}

export interface CallPipelineOptions<C extends AnyContract> {
  readonly plugin: string;
  readonly contract: C;
  /** Where the plugin runs, for the `x-plugin:call` tracing channel's context. */
  readonly isolation: Isolation;
  readonly callTimeout: number | undefined;
  readonly maxPendingCalls: number;
  readonly maxQueuedBytes: number;
  /** The plugin to call: now, once it has restarted (a promise), or a throw (stopped by the restart policy). */
  readonly target: () => CallTarget | Promise<CallTarget>;
  /** The plugin's methods on this thread (in-process): `handle.plugin.x()` then takes the fast path. */
  readonly direct?: DirectTarget;
}

export interface CallPipeline<C extends AnyContract> {
  readonly client: Client<C>;
  call(method: string, args: unknown[], options?: CallOptions): Promise<unknown>;
  /** Fails every call in flight with `error` (the plugin crashed, or the handle closes). */
  failAll(error: PluginError): void;
  /** From now on every call fails with ERR_PLUGIN_CLOSED; calls in flight fail too. */
  close(): void;
  readonly closed: boolean;
  readonly inFlight: number;
  stats(): CallCounts;
}

const NO_OPTIONS: CallOptions = Object.freeze({});

// One executor for every call's promise: it hands its resolvers over through these two slots
// (Promise runs its executor synchronously), so that a call allocates no executor closure and no
// scope of its own for it: its `finish` closure's scope is the only one, and holds the whole state.
let nextResolve: (value: unknown) => void = () => {};
let nextReject: (error: unknown) => void = () => {};
const takeResolvers = (resolve: (value: unknown) => void, reject: (error: unknown) => void) => {
  nextResolve = resolve;
  nextReject = reject;
};

/**
 * The one call path of every runtime, in-process and isolated alike: method lookup (own methods
 * of the contract only), argument check, closed check, backpressure, timeout, AbortSignal, the
 * calls in flight (failed at once on a crash or close), and the answer check.
 */
export function createCallPipeline<C extends AnyContract>(options: CallPipelineOptions<C>): CallPipeline<C> {
  const { plugin, contract } = options;
  // The contract's schemas, compiled once per contract object (cached in @x/contract).
  const checks = compileContract(contract).methods;
  // Each in-flight call's `finish`, to fail it from outside (crash, close).
  const pending = new Set<Done>();
  // Each open stream's `fail` (talkback): a crash or close fails a stream as it fails a call.
  const streams = new Set<(error: PluginError) => void>();
  const inFlight = () => pending.size + streams.size;
  const stats = new CallStats();
  // An isolated call takes tens of µs: one in 8 timed costs it ~0.3 µs of clock on the bench VM.
  const clock = new CallClock(8);
  let isClosed = false;

  const fail = (error: unknown): Promise<never> => {
    stats.settled(error, 0);
    return Promise.reject(error);
  };

  const call = (method: string, args: unknown[], callOptions: CallOptions = NO_OPTIONS): Promise<unknown> => {
    // A record lookup that never reaches Object.prototype: "constructor" or "__proto__" is just
    // an unknown method, like any other name the contract does not list.
    const spec = Object.hasOwn(contract.methods, method) ? contract.methods[method] : undefined;
    if (spec === undefined) return fail(unknownMethod(plugin, contract, method));
    const input = readCallOptions(plugin, method, args, callOptions);
    if (input !== undefined) return fail(input);
    const wrong = checkArgs(plugin, contract, method, spec, checks[method]!, args);
    if (wrong !== undefined) return fail(wrong);
    if (isClosed) return fail(closedError(plugin));
    if (callOptions.signal?.aborted) return fail(aborted(plugin, method, callOptions.signal));
    // A stream method answers an AsyncIterable, opened on its first next().
    if (checks[method]!.stream) return Promise.resolve(stream(method, args, callOptions));
    let target: CallTarget | Promise<CallTarget>;
    try {
      target = options.target();
    } catch (error) {
      return fail(error);
    }
    // A running plugin is called at once: every await costs a turn of the microtask queue,
    // which a round trip of ~20 µs feels.
    if (!(target instanceof Promise)) return send(target, method, spec, args, callOptions);
    return target.then(
      (t) => (isClosed ? fail(closedError(plugin)) : send(t, method, spec, args, callOptions)),
      (error: unknown) => fail(error),
    );
  };

  // One closure for the whole call (finish), and no promise but the caller's: with 1000 calls in
  // flight, allocations are what the host spends its time on.
  const send = (
    target: CallTarget,
    method: string,
    spec: MethodSpec,
    args: readonly unknown[],
    callOptions: CallOptions,
  ): Promise<unknown> => {
    const { signal } = callOptions;
    const timeout = callOptions.timeout ?? options.callTimeout;
    const refused = refuseIfBusy(plugin, method, pending.size, target.queuedBytes(), options);
    if (refused !== undefined) return fail(refused);
    const started = clock.start();
    const watched = timeout !== undefined || signal !== undefined;
    const promise = new Promise<unknown>(takeResolvers);
    const resolve = nextResolve;
    const reject = nextReject;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let cancel: (() => void) | undefined;
    const finish: Done = (error, result) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
      pending.delete(finish);
      if (inFlight() === 0) target.idle?.();
      if (error === undefined) {
        // The yes/no check first: a right answer allocates nothing for its check.
        if (checks[method]!.fitsResult(result)) {
          stats.settled(undefined, CallClock.since(started));
          resolve(spec.returns === 'void' ? undefined : result);
          return;
        }
        const answer = checkAnswer(plugin, contract, method, spec, checks[method]!, result);
        if (answer.ok) {
          stats.settled(undefined, CallClock.since(started));
          resolve(answer.value);
          return;
        }
        error = answer.error;
      }
      stats.settled(error, CallClock.since(started));
      reject(error);
    };
    pending.add(finish);
    target.busy?.();
    try {
      cancel = target.send(method, args, finish, timeout, watched);
    } catch (error) {
      finish(error);
      return promise;
    }
    // Answered already (an in-process method that returned a value), or nothing to watch.
    if (done || !watched) return promise;
    const stop = (error: PluginError) => {
      // Stop waiting first, then tell the plugin (its answer, if any, is dropped by `done`),
      // and let the runtime check that it is not hung.
      finish(error);
      cancel?.();
      target.stopped?.();
    };
    if (timeout !== undefined) timer = setTimeout(() => stop(timedOut(plugin, method, timeout)), timeout);
    if (signal !== undefined) {
      onAbort = () => stop(aborted(plugin, method, signal));
      signal.addEventListener('abort', onAbort, { once: true });
    }
    return promise;
  };

  // A stream holds the plugin (busy) until it ends, and is failed like a call by a crash or close.
  const stream = (method: string, args: unknown[], callOptions: CallOptions): AsyncIterable<unknown> => {
    let fail: ((error: PluginError) => void) | undefined;
    let target: CallTarget | undefined;
    const open = async (): Promise<StreamSource> => {
      const t = await options.target();
      if (isClosed) throw closedError(plugin);
      if (t.openStream === undefined) throw streamsUnsupported(plugin, contract.name, method);
      const source = t.openStream(method, args);
      target = t;
      fail = (error) => source.fail?.(error);
      streams.add(fail);
      stats.streamOpened();
      traceStream(plugin, method, options.isolation, 'open');
      t.busy?.();
      return source;
    };
    return pluginStream(plugin, method, open, callOptions, () => {
      if (fail !== undefined) streams.delete(fail);
      if (target !== undefined) traceStream(plugin, method, options.isolation, 'end');
      if (inFlight() === 0) target?.idle?.();
    });
  };

  // Filled as a plain object, then cut from Object.prototype: Object.create(null) makes a
  // dictionary-mode object, and every `handle.plugin.x` would pay a hash lookup.
  const client: Record<string, (...args: unknown[]) => unknown> = {};
  // Every call on the tracing channel (free while nobody subscribes: Node checks that first).
  const traced = (method: string, args: unknown[], callOptions?: CallOptions): Promise<unknown> =>
    traceCall(plugin, options.isolation, call, method, args, callOptions);
  const { direct } = options;
  const state = {
    plugin,
    stats,
    callTimeout: options.callTimeout,
    blocked: () => isClosed || pending.size >= options.maxPendingCalls,
    closedDuring: () => (isClosed ? fail(closedError(plugin)) : undefined),
    slow: (method: string, args: unknown[]) => traced(method, args),
    adopt: (method: string, target: CallTarget) =>
      send(target, method, contract.methods[method]!, [], NO_OPTIONS),
  };
  for (const method of Object.keys(contract.methods)) {
    const compiled = checks[method]!;
    const value = compiled.stream
      ? (...args: unknown[]) => deferredIterable(() => traced(method, args))
      : direct !== undefined
        ? directMethod(state, method, contract.methods[method]!, compiled, direct)
        : (...args: unknown[]) => traced(method, args);
    // defineProperty, not assignment: a method named "__proto__" is a method, not the prototype.
    Object.defineProperty(client, method, { value, enumerable: true });
  }
  return {
    client: Object.freeze(Object.setPrototypeOf(client, null)) as unknown as Client<C>,
    call: traced,
    failAll(error) {
      for (const finish of [...pending]) finish(error);
      pending.clear();
      for (const failStream of [...streams]) failStream(error);
      streams.clear();
    },
    close() {
      isClosed = true;
      // The error only when a call or stream is there to fail with it: a PluginError (its stack
      // and message) was ~13 µs of every close(), most of which have nothing in flight.
      if (pending.size > 0 || streams.size > 0) this.failAll(closedError(plugin));
    },
    get closed() {
      return isClosed;
    },
    get inFlight() {
      return inFlight();
    },
    stats: () => stats.snapshot(pending.size, streams.size),
  };
}
