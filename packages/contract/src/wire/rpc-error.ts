/** JSON-RPC 2.0 error codes the wire protocol uses (docs/protocol.md, "Errors"). */
export const RPC_ERRORS = Object.freeze({
  /** A line that is not JSON (only logged: there is no id to answer). */
  parseError: -32700,
  /** A message that is JSON but not a JSON-RPC 2.0 request. */
  invalidRequest: -32600,
  /** A request for a method this side does not serve. */
  methodNotFound: -32601,
  /** A request whose params have the wrong shape. */
  invalidParams: -32602,
  /** The handler failed in a way that is not the plugin's (e.g. its result could not be sent). */
  internalError: -32603,
  /** A plugin method threw; `data` is a `WireError`. */
  pluginThrew: -32001,
  /** The answer (a plugin's result) was over the frame limit, so it could not be sent (version 2). */
  payloadTooLarge: -32003,
  /**
   * Local only, never sent: the transport refused to encode a message this side wrote, because it is
   * over the frame limit (`data`: `{ bytes, limit }`). A request fails with it; an answer that hits
   * it is sent as `payloadTooLarge` instead.
   */
  messageTooLarge: -32097,
  /** Local only, never sent: the connection closed before the answer came. */
  connectionClosed: -32099,
  /** The caller cancelled the request (`$/cancelRequest`, the LSP's code). */
  requestCancelled: -32800,
});

const MARKER = Symbol.for('x.plugin.rpc-error');

/**
 * A JSON-RPC error: what a failed request rejects with, and what a handler throws to choose the code.
 * Recognise it with `RpcError.isInstance`, not `instanceof`: the endpoint and the code that throws
 * may come from two copies of this package (a bundle's, an entry point's, a plugin's own).
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';

  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
  }

  static isInstance(value: unknown): value is RpcError {
    return typeof value === 'object' && value !== null && MARKER in value && value[MARKER] === true;
  }
}
