import { RPC_ERRORS, type RpcEndpoint, RpcError, STREAM_METHODS } from '@x/contract/wire';
import type { StreamSource } from '../core/plugin-stream.js';
import { fromWire } from '../runtimes/x-protocol/from-wire-error.js';

/** Items of credit a stream starts with, and is topped up to as the consumer takes them. */
export const DEFAULT_STREAM_CREDIT = 64;

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

/**
 * A stream from a plugin in a worker or process, with credit-based backpressure: the plugin may
 * send at most `credit` items beyond those the consumer took, so the host holds at most `credit`
 * items whatever the producer's speed. A plugin that sends past its credit fails the stream.
 */
export function remoteSource(
  plugin: string,
  endpoint: RpcEndpoint,
  method: string,
  args: unknown[],
  onEnd: () => void,
  credit = DEFAULT_STREAM_CREDIT,
): StreamSource & { fail(error: unknown): void } {
  // A plugin's error thrown mid-stream, rebuilt as the wire rules say (name, message, stack, data, cause).
  const queue: unknown[] = [];
  let waiter: { resolve: (r: IteratorResult<unknown>) => void; reject: (e: unknown) => void } | undefined;
  let ended = false;
  let failure: unknown;
  let outstanding = credit;
  let taken = 0;
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
    // Top the credit up once half of it is used: one x/credit per credit/2 items, not per item.
    if (++taken >= Math.max(1, credit >> 1) && !ended) {
      outstanding += taken;
      endpoint.notify(STREAM_METHODS.credit, { id, n: taken });
      taken = 0;
    }
    return value;
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
      queue.push(value);
      settleWaiter();
    },
    { credited: () => !ended && outstanding > 0 },
  );
  const id = endpoint.send(STREAM_METHODS.stream, { method, args, credit }, (error) => {
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
      endpoint.cancel(id);
      end();
      settleWaiter();
    },
    fail,
  };
}
