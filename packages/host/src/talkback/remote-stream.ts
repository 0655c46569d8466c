import { itemBytes, RPC_ERRORS, type RpcEndpoint, RpcError, STREAM_METHODS } from '@x/contract/wire';
import type { StreamSource } from '../core/plugin-stream.js';
import { fromWire } from '../runtimes/x-protocol/from-wire-error.js';
import {
  creditWindow,
  DEFAULT_STREAM_CREDIT,
  MAX_STREAM_CREDIT,
  STREAM_CREDIT_BYTES,
} from './stream-credit.js';

export { DEFAULT_STREAM_CREDIT, MAX_STREAM_CREDIT, STREAM_CREDIT_BYTES } from './stream-credit.js';

interface Route {
  (value: unknown): void;
  /** Whether the plugin may send one more item now (it has credit left). */
  credited(): boolean;
}
const routes = new WeakMap<RpcEndpoint, Map<unknown, Route>>();

/** The `x/item` router of an endpoint (one per channel), made on its first stream. */
function routesOf(endpoint: RpcEndpoint): Map<unknown, Route> {
  let map = routes.get(endpoint);
  if (map === undefined) {
    const fresh = new Map<unknown, Route>();
    map = fresh;
    routes.set(endpoint, fresh);
    // Items within the credit the host granted are answers, not flood: the guard counts only the rest.
    endpoint.solicits(STREAM_METHODS.item, (params) => {
      const id = (params as { id?: unknown } | null)?.id;
      return fresh.get(id)?.credited() === true;
    });
    // An item for a stream that ended or was cancelled is late, not wrong: dropped quietly.
    endpoint.onNotification(STREAM_METHODS.item, (params) => {
      const { id, value } = (params ?? {}) as { id?: unknown; value?: unknown };
      fresh.get(id)?.(value);
    });
  }
  return map;
}

/** A stream's bounds (stream-credit.ts); the defaults unless a test sets smaller ones. */
export interface StreamCredit {
  /** Items granted in `x/stream`, before any item has shown its size. */
  readonly initial: number;
  /** The most items outstanding (granted, not yet taken by the consumer). */
  readonly maxItems: number;
  /** The most bytes outstanding, by `itemBytes`. */
  readonly maxBytes: number;
}
const DEFAULT_CREDIT: StreamCredit = Object.freeze({
  initial: DEFAULT_STREAM_CREDIT,
  maxItems: MAX_STREAM_CREDIT,
  maxBytes: STREAM_CREDIT_BYTES,
});

/**
 * A stream from a plugin in a worker or process, with credit-based backpressure in items and in
 * bytes: the plugin may send only what the host granted beyond what the consumer took, so the
 * host holds at most `maxItems` items and `maxBytes` bytes (one item over, by `itemBytes`)
 * whatever the producer's speed. A plugin on an older @x/contract counts items only; its window
 * in items is sized by the largest item seen. A plugin that sends past its item credit fails the
 * stream.
 */
export function remoteSource(
  plugin: string,
  endpoint: RpcEndpoint,
  method: string,
  args: unknown[],
  onEnd: () => void,
  credit: StreamCredit = DEFAULT_CREDIT,
): StreamSource & { fail(error: unknown): void } {
  // A plugin's error thrown mid-stream, rebuilt as the wire rules say (name, message, stack, data, cause).
  const queue: unknown[] = [];
  /** Each queued item's size, by itemBytes: what taking it frees. */
  const sizes: number[] = [];
  let waiter: { resolve: (r: IteratorResult<unknown>) => void; reject: (e: unknown) => void } | undefined;
  let ended = false;
  let failure: unknown;
  /** Items the plugin may still send (granted, not yet received). */
  let outstanding = credit.initial;
  /** Bytes granted minus bytes taken: what the host may come to hold, for a plugin that counts bytes. */
  let heldBytes = credit.maxBytes;
  /** The largest item received: sizes the window in items, for a plugin that counts items only. */
  let largest = 1;
  const map = routesOf(endpoint);
  const end = () => {
    if (map.get(id) !== route) return;
    map.delete(id);
    onEnd();
  };
  const settleWaiter = () => {
    const w = waiter;
    if (w === undefined) return;
    if (queue.length > 0) {
      waiter = undefined;
      w.resolve({ done: false, value: take() });
    } else if (failure !== undefined) {
      waiter = undefined;
      w.reject(failure);
    } else if (ended) {
      waiter = undefined;
      w.resolve({ done: true, value: undefined });
    }
  };
  const take = () => {
    const value = queue.shift();
    heldBytes -= sizes.shift()!;
    if (!ended) topUp();
    return value;
  };
  // Once half the window (in items or in bytes) is free, it is granted again: one x/credit per
  // half window, not per item (each one wakes the plugin).
  const topUp = () => {
    const window = creditWindow(largest, credit.maxItems, credit.maxBytes);
    // Items: queued plus grantable stays within the window (a plugin stopped by its bytes credit
    // leaves items outstanding, so this may be negative for a while). Bytes: granted minus taken.
    const items = window - (queue.length + outstanding);
    const bytes = credit.maxBytes - heldBytes;
    if (items < Math.max(1, window >> 1) && bytes < Math.max(1, credit.maxBytes >> 1)) return;
    const n = Math.max(0, items);
    const more = Math.max(0, bytes);
    outstanding += n;
    heldBytes += more;
    // n may be 0 (only bytes freed): a plugin that counts items only ignores that message.
    endpoint.notify(STREAM_METHODS.credit, { id, n, bytes: more });
  };
  const fail = (error: unknown) => {
    if (ended) return;
    ended = true;
    failure = error;
    end();
    settleWaiter();
  };
  const route: Route = Object.assign(
    (value: unknown) => {
      if (ended) return;
      if (outstanding <= 0) {
        fail(
          new RpcError(
            RPC_ERRORS.invalidRequest,
            `The plugin sent more items of ${method}() than its credit.`,
          ),
        );
        endpoint.cancel(id);
        return;
      }
      outstanding--;
      const size = itemBytes(value);
      if (size > largest) largest = size;
      queue.push(value);
      sizes.push(size);
      settleWaiter();
    },
    { credited: () => !ended && outstanding > 0 },
  );
  const params = { method, args, credit: credit.initial, bytes: credit.maxBytes };
  const id = endpoint.send(STREAM_METHODS.stream, params, (error) => {
    if (ended) return;
    if (error !== undefined) return fail(fromWire(plugin, method, error));
    ended = true;
    end();
    settleWaiter();
  });
  map.set(id, route);
  return {
    next() {
      if (queue.length > 0) return Promise.resolve({ done: false, value: take() });
      if (failure !== undefined) return Promise.reject(failure);
      if (ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve, reject) => {
        waiter = { resolve, reject };
      });
    },
    async cancel() {
      if (ended) return;
      ended = true;
      queue.length = 0;
      sizes.length = 0;
      endpoint.cancel(id);
      end();
      settleWaiter();
    },
    fail,
  };
}
