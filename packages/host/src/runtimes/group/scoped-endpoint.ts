import type { RpcEndpoint, RpcId } from '@x/contract/wire';
import { memberMethod } from './group-methods.js';

/**
 * A group member's view of the group's one endpoint: the same methods, each name scoped to the
 * member (`x/call` is sent as `x/call#3`), so that handshake, calls, host functions, streams and
 * dispose run unchanged per member. Request ids are the shared endpoint's, so answers and
 * `$/cancelRequest` need no scoping. It cannot close the shared endpoint: only the isolate's end does.
 */
export function scopedEndpoint(
  shared: RpcEndpoint,
  member: number,
  onCancelled: (listener: (id: RpcId) => void) => void,
): RpcEndpoint {
  // The hot path (x/call) scopes the same few names over and over: made once each.
  const names = new Map<string, string>();
  const name = (method: string) => {
    let scoped = names.get(method);
    if (scoped === undefined) {
      scoped = memberMethod(method, member);
      names.set(method, scoped);
    }
    return scoped;
  };
  const view = {
    onRequest: (method: string, handler: Parameters<RpcEndpoint['onRequest']>[1]) =>
      shared.onRequest(name(method), handler),
    onNotification: (method: string, handler: Parameters<RpcEndpoint['onNotification']>[1]) =>
      shared.onNotification(name(method), handler),
    solicits: (method: string, isAnswer: (params: unknown) => boolean) =>
      shared.solicits(name(method), isAnswer),
    onCancelled,
    request: (method: string, params?: unknown) => shared.request(name(method), params),
    send: (method: string, params: unknown, onAnswer: Parameters<RpcEndpoint['send']>[2]) =>
      shared.send(name(method), params, onAnswer),
    notify: (method: string, params?: unknown) => shared.notify(name(method), params),
    cancel: (id: number) => shared.cancel(id),
    close: () => {},
    get closed() {
      return shared.closed;
    },
    get envelope() {
      return shared.envelope;
    },
    setEnvelope: () => {},
    get pendingCount() {
      return shared.pendingCount;
    },
    get answeringCount() {
      return shared.answeringCount;
    },
    get problems() {
      return shared.problems;
    },
    receive: (message: unknown) => shared.receive(message),
    problem: (description: string) => shared.problem(description),
  };
  // RpcEndpoint is a class with private fields, so no other object fits its type; this one has
  // every public member it has, each passed to the shared endpoint.
  return view as unknown as RpcEndpoint;
}
