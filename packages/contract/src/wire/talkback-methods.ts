/** JSON-RPC methods of plugins that talk back (docs/protocol.md, "Talking back"). */
export const TALKBACK_METHODS = Object.freeze({
  /** Request, host → plugin, once, right after the handshake: `{ config }`; makes the instance. */
  init: 'x/init',
  /** Request, plugin → host: `{ fn, args }`, one host function; answers its result. */
  host: 'x/host',
  /** Request, host → plugin, before the host ends it: run the dispose hooks, then answer. */
  dispose: 'x/dispose',
});

/** JSON-RPC error code of a host function that threw or was refused; `data` is the error's shape. */
export const HOST_FUNCTION_FAILED = -32002;

/** Streams (`returns: t.stream(T)`): docs/protocol.md, "Streams". */
export const STREAM_METHODS = Object.freeze({
  /**
   * Request, host → plugin: `{ method, args, credit, bytes? }`; answered (null) when the stream
   * ends. `bytes` (optional: an older plugin ignores it): a credit in bytes beside the one in items,
   * counted with `itemBytes`; a plugin that knows it stops at whichever runs out first.
   */
  stream: 'x/stream',
  /** Notification, plugin → host: `{ id, value }`, one item of stream `id`; costs one credit. */
  item: 'x/item',
  /** Notification, host → plugin: `{ id, n, bytes? }`, n more items (and bytes more bytes) of credit. */
  credit: 'x/credit',
});
