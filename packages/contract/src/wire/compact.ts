import type { RpcId, RpcMessage } from './rpc-message.js';

// Protocol version 3's envelope (docs/protocol.md, "Version 3"): the same four kinds of message as
// JSON-RPC 2.0, each an array whose first element says which, with no "jsonrpc" key and no key
// names at all. Measured per message on the bench VM, a worker's `x/call` as
// `{ jsonrpc, id, method, params: { method, args } }` cost ~5 µs to post and receive against
// ~3.3 µs as `[0, id, method, [method, args]]`, and ~5 µs against ~3.2 µs through msgpackr
// (pack and unpack); every key is a string the clone or the encoder writes and the other side reads.

/** The first element of a version 3 message. */
export const COMPACT_KIND = Object.freeze({
  /** `[0, id, method, params]` */
  request: 0,
  /** `[1, method, params]` */
  notification: 1,
  /** `[2, id, result]` */
  result: 2,
  /** `[3, id, { code, message, data? }]` */
  error: 3,
});

/** Which envelope an endpoint reads and writes: JSON-RPC 2.0 objects (versions 1 and 2) or version 3's arrays. */
export type Envelope = 'json-rpc' | 'compact';

export type CompactMessage =
  | readonly [0, RpcId, string, unknown]
  | readonly [1, string, unknown]
  | readonly [2, RpcId, unknown]
  | readonly [3, RpcId, { readonly code: number; readonly message: string; readonly data?: unknown }];

/** A message as the endpoint writes it, in either envelope. */
export type OutgoingMessage = RpcMessage | CompactMessage;

/**
 * Whether a peer's first message (or batch) is in version 3's envelope: a message is an array
 * led by a number, a batch an array of arrays. Version 2's messages are objects, and its batches
 * arrays of objects, so the two never look alike.
 */
export function isCompactValue(value: unknown): boolean {
  return Array.isArray(value) && (typeof value[0] === 'number' || Array.isArray(value[0]));
}

/** What an outgoing message is, in either envelope: for the endpoint's paths where one could not be sent. */
export function describeOutgoing(message: OutgoingMessage): {
  readonly kind: 'request' | 'notification' | 'result' | 'error';
  readonly id: RpcId | null | undefined;
  readonly method: string | undefined;
} {
  if (Array.isArray(message)) {
    const m = message as CompactMessage;
    switch (m[0]) {
      case 0:
        return { kind: 'request', id: m[1], method: m[2] };
      case 1:
        return { kind: 'notification', id: undefined, method: m[1] };
      case 2:
        return { kind: 'result', id: m[1], method: undefined };
      default:
        return { kind: 'error', id: m[1], method: undefined };
    }
  }
  const m = message as RpcMessage & Record<string, unknown>;
  if ('method' in m) {
    return 'id' in m
      ? { kind: 'request', id: m.id as RpcId, method: m.method as string }
      : { kind: 'notification', id: undefined, method: m.method as string };
  }
  return { kind: 'result' in m ? 'result' : 'error', id: m.id as RpcId | null, method: undefined };
}
