/**
 * Node's fixed message for ERR_ACCESS_DENIED. The wire error carries a plugin error's name,
 * message and stack but not its `code`, so the message is how the host recognises it.
 */
const ACCESS_DENIED_MESSAGE = 'Access to this API has been restricted';

/** Whether a plugin's error (local, or rebuilt from the wire) is Node refusing an API under the permission model. */
export function isAccessDenied(error: { readonly message?: string; readonly code?: unknown }): boolean {
  return error.code === 'ERR_ACCESS_DENIED' || error.message === ACCESS_DENIED_MESSAGE;
}

/**
 * The public Node API that refused, from the stack: the last `node:` frame before the plugin's own
 * code, e.g. `fs.readFileSync()`, `child_process.spawn()`, `new Worker()`.
 */
export function deniedApi(stack: string | undefined): string | undefined {
  let api: string | undefined;
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const frame = /^\s*at (new )?(?:[\w$]+\.)?([\w$]+) \(node:(?:internal\/)?([\w/]+):\d+:\d+\)$/.exec(line);
    if (frame === null) break;
    const [, isNew, fn, mod] = frame;
    api = isNew !== undefined ? `new ${fn}()` : `${mod}.${fn}()`;
  }
  return api;
}
