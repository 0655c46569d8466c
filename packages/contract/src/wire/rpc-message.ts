// JSON-RPC 2.0 message shapes, and the checks the endpoint runs on what it receives.

export type RpcId = number | string;

/** One JSON-RPC 2.0 message as sent: a request, a notification or a response. */
export type RpcMessage =
  | { readonly jsonrpc: '2.0'; readonly id: RpcId; readonly method: string; readonly params?: unknown }
  | { readonly jsonrpc: '2.0'; readonly method: string; readonly params?: unknown }
  | { readonly jsonrpc: '2.0'; readonly id: RpcId | null; readonly result: unknown }
  | {
      readonly jsonrpc: '2.0';
      readonly id: RpcId | null;
      readonly error: { readonly code: number; readonly message: string; readonly data?: unknown };
    };

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isId = (v: unknown): v is RpcId =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
export const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  (typeof v === 'object' || typeof v === 'function') &&
  v !== null &&
  typeof (v as { then?: unknown }).then === 'function';
/** A short, safe rendering of anything a peer sent, for problem reports. */
export const brief = (v: unknown): string => {
  let text: string;
  try {
    text = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  } catch {
    text = Object.prototype.toString.call(v);
  }
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};
