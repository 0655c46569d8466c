import { LazyAbort, PluginError } from '@x/contract';
import { aborted, callFailed } from './call-errors.js';
import type { CallOptions } from './call-pipeline.js';

/** Where a stream's items come from: a local async generator, or a plugin across the wire. */
export interface StreamSource {
  next(): Promise<IteratorResult<unknown>>;
  /** The consumer stopped early: the plugin's generator is returned and its signal fires. */
  cancel(): Promise<void>;
  /** Fails the stream from outside (the plugin crashed, or the handle closes). */
  fail?(error: PluginError): void;
}

const DONE: IteratorResult<unknown> = Object.freeze({ done: true, value: undefined });

/**
 * Streams whose iterator the consumer let go without return() (it kept an iterator, took some
 * items and dropped it: no break, no for-await to return it). Once the iterator is collected, the
 * stream is stopped as return() would stop it: the plugin's generator is returned (its finally
 * runs, its signal fires) and the host forgets the stream. Without this the generator waited for
 * credit forever, held by the plugin, and the host counted the plugin busy for good. The held
 * value is the stream's stop, which must not reach the iterator (or it would never be collected).
 */
const dropped = new FinalizationRegistry<() => unknown>((stop) => void stop());

/**
 * Streams are registered in `dropped` a turn late (setImmediate): one read to its end in the turn
 * it was opened in (a for-await over an in-process stream runs in one turn) never pays for a
 * registry cell, which cost ~6 µs an open (an empty in-process stream: 15 µs with, 7 µs without).
 * An iterator dropped in that turn is held until the turn ends (or 64 more were opened), then
 * registered, then collected.
 */
interface Late {
  finished: boolean;
  registered: boolean;
}
let late: [iterator: object, stop: () => unknown, token: Late][] = [];
const LATE_MAX = 64;
const registerLate = (): void => {
  const due = late;
  late = [];
  for (const [iterator, stop, token] of due) {
    if (token.finished) continue;
    dropped.register(iterator, stop, token);
    token.registered = true;
  }
};

/**
 * The AsyncIterable the host gets for a stream method, the same in every isolation: items as the
 * plugin produces them (pulled one by one, so a consumer that stops stops the producer), `break`
 * or `return()` cancels it, the call's signal aborts it (ERR_PLUGIN_ABORTED), and an error thrown
 * mid-stream rejects the next `next()` as ERR_PLUGIN_CALL.
 */
export function pluginStream(
  plugin: string,
  method: string,
  open: () => Promise<StreamSource>,
  options: CallOptions,
  onEnd: () => void = () => {},
): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<unknown> {
      let source: Promise<StreamSource> | undefined;
      let finished = false;
      let abortReported = false;
      const { signal } = options;
      let onAbort: (() => void) | undefined;
      const abortedAnswer =
        signal === undefined
          ? undefined
          : new Promise<never>((_, reject) => {
              onAbort = () => {
                reject(aborted(plugin, method, signal));
                void stop();
              };
              signal.addEventListener('abort', onAbort, { once: true });
            });
      abortedAnswer?.catch(() => {});
      // Unregisters the stream from `dropped` once it is over (the token, not the iterator: see there).
      const token: Late = { finished: false, registered: false };
      const release = () => {
        if (!finished && token.registered) dropped.unregister(token);
        if (!finished && source !== undefined) onEnd();
        finished = true;
        token.finished = true;
        if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
      };
      const stop = async () => {
        const wasOpen = !finished;
        release();
        if (wasOpen && source !== undefined) await (await source.catch(() => undefined))?.cancel();
      };
      // The source once open: with no signal to race, next() is one `then` on the source's own.
      let ready: StreamSource | undefined;
      const onResult = (r: IteratorResult<unknown>) => {
        if (!r.done) return r;
        release();
        return DONE;
      };
      const onError = (error: unknown): never => {
        if (signal?.aborted) abortReported = true;
        release();
        throw PluginError.isInstance(error) ? error : callFailed(plugin, method, error);
      };
      const slowNext = async (): Promise<IteratorResult<unknown>> => {
        // The abort is reported once; after it the stream is simply done.
        if (signal?.aborted && !abortReported) {
          abortReported = true;
          await stop();
          throw aborted(plugin, method, signal);
        }
        if (finished) return DONE;
        source ??= open();
        try {
          const s = await (abortedAnswer === undefined ? source : Promise.race([source, abortedAnswer]));
          if (abortedAnswer === undefined) ready = s;
          return onResult(
            await (abortedAnswer === undefined ? s.next() : Promise.race([s.next(), abortedAnswer])),
          );
        } catch (error) {
          return onError(error);
        }
      };
      const iterator: AsyncIterator<unknown> = {
        next() {
          if (ready === undefined || finished) return slowNext();
          try {
            return ready.next().then(onResult, onError);
          } catch (error) {
            return Promise.reject(error).catch(onError);
          }
        },
        async return() {
          await stop();
          return DONE;
        },
      };
      // `iterator` is referenced by no closure here, so stop's scope does not hold it.
      if (late.length === 0) setImmediate(registerLate);
      // A turn that opens many (a loop of streams in microtasks) holds at most LATE_MAX of them.
      else if (late.length >= LATE_MAX) registerLate();
      late.push([iterator, stop, token]);
      return iterator;
    },
  };
}

/** An in-process stream: the plugin's async generator, pulled directly. */
export function localSource(
  start: (call: LazyAbort) => unknown,
  /** Runs one pull in the call's scope (the plugin instance's `enter`). */
  enter: <T>(call: LazyAbort, pull: () => T) => T,
): StreamSource {
  // The generator's `{ signal }`, made only if it reads it: an AbortController and its signal were
  // ~15% of opening an in-process stream (a `--cpu-prof` of 30,000 empty streams), and more in GC.
  const controller = new LazyAbort();
  const produced = start(controller) as AsyncIterable<unknown> | null;
  const iterator = produced?.[Symbol.asyncIterator]?.();
  if (iterator === undefined) throw new TypeError('The method did not return an async iterable.');
  const pull = () => iterator.next();
  return {
    // Each pull in the call's scope: the generator's host calls between items go with the stream.
    next: () => enter(controller, pull),
    async cancel() {
      controller.abort(new Error('The host stopped consuming this stream.'));
      await iterator.return?.();
    },
  };
}

/**
 * An AsyncIterable whose source is made on its first next(), so that a stream method gives its
 * iterable at once (`for await (const x of plugin.tiles(img))`); a wrong argument rejects the
 * first next().
 */
export function deferredIterable(make: () => Promise<unknown>): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator]() {
      let inner: Promise<AsyncIterator<unknown>> | undefined;
      // Once made, next() goes straight to it: no promise of this layer per item.
      let ready: AsyncIterator<unknown> | undefined;
      const get = () => {
        inner ??= make().then((it) => {
          ready = (it as AsyncIterable<unknown>)[Symbol.asyncIterator]();
          return ready;
        });
        return inner;
      };
      return {
        next: () => (ready === undefined ? get().then((it) => it.next()) : ready.next()),
        return: async () =>
          inner === undefined
            ? { done: true, value: undefined }
            : ((await (await inner).return?.()) ?? { done: true, value: undefined }),
      };
    },
  };
}
