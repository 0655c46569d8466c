import type { PluginInstance } from '../talkback/index.js';
import { toWireError } from './handshake.js';
import { itemBytes } from './item-bytes.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import type { RpcId } from './rpc-message.js';
import type { TalkbackConnection } from './serve-talkback.js';
import { STREAM_METHODS } from './talkback-methods.js';

// The plugin side of `returns: t.stream(T)`: `x/stream` starts the method's async generator with
// some credit; each item goes as an `x/item` notification and costs one credit, and its size
// (itemBytes) of the bytes credit when the host gave one; the generator is pulled only while both
// are left (so a slow consumer stops a fast producer, and what is in flight stays bounded in bytes
// too); `x/credit` gives more. The request is answered when the generator ends (or throws). A
// `$/cancelRequest` fires the call's signal and returns the generator (its `finally` runs).

/** The most credit one grant adds (a hostile or broken host cannot make a counter overflow). */
const MAX_GRANT = 1_000_000;
const MAX_BYTES_GRANT = 2 ** 40;

interface Open {
  credit: number;
  /** Bytes left to send; Infinity when the host counts items only (an older host). */
  bytes: number;
  wake: (() => void) | undefined;
  cancelled: boolean;
}

const grant = (n: unknown, max: number): number => (typeof n === 'number' && n > 0 ? Math.min(n, max) : 0);

export function serveStreams(
  connection: TalkbackConnection,
  /** Starts the method; `enter` runs each pull of its generator inside the call's scope. */
  invoke: (
    method: string,
    args: readonly unknown[],
    id: RpcId,
  ) => Promise<{ readonly produced: unknown; readonly enter: <T>(pull: () => T) => T }>,
  /** Called once a stream is over, however it ended (its generator returned, if it was cancelled). */
  finished: (id: RpcId) => void = () => {},
): { cancel(id: RpcId): void } {
  const open = new Map<RpcId, Open>();
  const wake = (s: Open | undefined) => {
    const w = s?.wake;
    if (s !== undefined) s.wake = undefined;
    w?.();
  };
  connection.onNotification?.(STREAM_METHODS.credit, (params) => {
    const { id, n, bytes } = (params ?? {}) as { id?: RpcId; n?: unknown; bytes?: unknown };
    const s = id === undefined ? undefined : open.get(id);
    if (s === undefined) return;
    const items = grant(n, MAX_GRANT);
    const more = grant(bytes, MAX_BYTES_GRANT);
    if (items === 0 && more === 0) return;
    s.credit += items;
    s.bytes += more;
    wake(s);
  });
  connection.onRequest(STREAM_METHODS.stream, (params, id = -1) =>
    run(params, id)
      .finally(() => finished(id))
      .catch((error: unknown) => {
        if (RpcError.isInstance(error)) throw error;
        const wire = toWireError(error);
        throw new RpcError(RPC_ERRORS.pluginThrew, `${wire.name}: ${wire.message}`, wire);
      }),
  );
  const run = async (params: unknown, id: RpcId) => {
    const { method, args, credit, bytes } = (params ?? {}) as {
      method?: unknown;
      args?: unknown;
      credit?: unknown;
      bytes?: unknown;
    };
    if (typeof method !== 'string' || !Array.isArray(args))
      throw new TypeError('x/stream needs {method, args}.');
    const { produced, enter } = await invoke(method, args, id);
    const iterator = (produced as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator]?.();
    if (iterator === undefined) throw new TypeError(`${method} did not return an async iterable.`);
    const s: Open = {
      credit: typeof credit === 'number' && credit > 0 ? credit : 1,
      // No bytes credit (an older host) or none that makes sense: items only, as before.
      bytes: grant(bytes, MAX_BYTES_GRANT) || Number.POSITIVE_INFINITY,
      wake: undefined,
      cancelled: false,
    };
    open.set(id, s);
    const pull = () => iterator.next();
    try {
      for (;;) {
        while ((s.credit <= 0 || s.bytes <= 0) && !s.cancelled) await new Promise<void>((r) => (s.wake = r));
        if (s.cancelled) return null;
        const next = await enter(pull);
        if (next.done || s.cancelled) return null;
        s.credit--;
        // Counted after it is sent: an item is never held back for being large (at most one over).
        if (s.bytes !== Number.POSITIVE_INFINITY) s.bytes -= itemBytes(next.value);
        connection.notify(STREAM_METHODS.item, { id, value: next.value });
      }
    } finally {
      open.delete(id);
      // The generator's finally runs, whether the host cancelled or the stream ended early.
      if (s.cancelled) await iterator.return?.();
    }
  };
  return {
    cancel(id) {
      const s = open.get(id);
      if (s === undefined) return;
      s.cancelled = true;
      wake(s);
    },
  };
}

/** Used by serve-talkback: the instance's method, as a stream. */
export type StreamInvoke = (
  instance: PluginInstance,
  method: string,
  args: readonly unknown[],
  id: RpcId,
) => unknown;
