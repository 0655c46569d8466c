import { PluginError } from '@x/contract';
import { RPC_ERRORS, RpcError, type WireError, type WireValue } from '@x/contract/wire';
import { callFailed } from '../../core/call-errors.js';
import { permissionDenied } from '../../errors.js';
import { deniedApi, isAccessDenied } from '../../permissions/access-denied.js';

// What a failed call over the wire becomes on the host: the PluginError the in-process handle
// would have thrown, with the plugin's error rebuilt as a real Error (docs/protocol.md, "Error
// objects"). One file, so that the call path only asks `fromWire(...)`.

/** The built-in classes a wire error's name is rebuilt as, so `instanceof TypeError` holds as in-process. */
const BUILT_IN: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

const define = (target: object, key: string, value: unknown, enumerable: boolean) =>
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });

const isWireError = (data: unknown): data is WireError => {
  const d = data as Partial<WireError> | null | undefined;
  return typeof d === 'object' && d !== null && typeof d.name === 'string' && typeof d.message === 'string';
};

const isWireValue = (data: unknown): data is WireValue =>
  typeof data === 'object' && data !== null && 'value' in data && !('name' in data);

/** A member of a cause chain or of `errors`: an Error rebuilt, or the plain value sent. */
function memberFromWire(data: unknown, depth: number): unknown {
  if (isWireError(data)) return errorFromWire(data, depth + 1);
  return isWireValue(data) ? data.value : data;
}

/**
 * A real Error from a wire error: the same class for built-in names (and AggregateError), its
 * name, message, stack, code, own properties, cause chain and errors, with the enumerability
 * JavaScript gives them (name, stack, cause and errors not enumerable; code and the rest
 * enumerable, as an assignment makes them). Never throws on whatever the plugin sent.
 */
export function errorFromWire(wire: WireError, depth = 0): Error {
  // The wire caps the depth; a hostile plugin could still send more, so the host caps it too.
  const deep = depth > 16;
  const errors = Array.isArray(wire.errors) && !deep ? wire.errors.map((e) => memberFromWire(e, depth)) : [];
  const error: Error =
    wire.name === 'AggregateError'
      ? new AggregateError(errors, wire.message)
      : new (BUILT_IN[wire.name] ?? Error)(wire.message);
  if (error.name !== wire.name) define(error, 'name', wire.name, false);
  define(error, 'stack', typeof wire.stack === 'string' ? wire.stack : undefined, false);
  if (wire.code !== undefined) define(error, 'code', wire.code, true);
  if (typeof wire.props === 'object' && wire.props !== null) {
    for (const [key, value] of Object.entries(wire.props)) {
      if (!(key in error) || Object.hasOwn(error, key)) define(error, key, value, true);
    }
  }
  if (wire.cause !== undefined && !deep) define(error, 'cause', memberFromWire(wire.cause, depth), false);
  return error;
}

/** A JSON-RPC failure of `method` as the PluginError the in-process handle would have thrown. */
export function fromWire(plugin: string, method: string, error: unknown): unknown {
  if (!RpcError.isInstance(error)) return callFailed(plugin, method, error);
  if (error.code === RPC_ERRORS.pluginThrew && isWireError(error.data)) {
    // A thrown non-Error (`throw 'text'`) is the cause itself, as in-process.
    const cause = 'value' in error.data ? error.data.value : errorFromWire(error.data);
    if (isAccessDenied(error.data))
      return permissionDenied(plugin, method, deniedApi(error.data.stack), cause);
    return callFailed(plugin, method, cause);
  }
  if (error.code === RPC_ERRORS.messageTooLarge) return payloadRefused(plugin, method, 'host', error);
  if (error.code === RPC_ERRORS.internalError && (error.data as { notSent?: unknown })?.notSent === true) {
    return payloadRefused(plugin, method, 'host', error, 'cannot be encoded');
  }
  if (error.code === RPC_ERRORS.payloadTooLarge) return payloadRefused(plugin, method, 'plugin', error);
  return callFailed(plugin, method, error);
}

/**
 * ERR_PLUGIN_PAYLOAD: a message over the transport's limit. `side` says whose it was: the host's
 * own arguments (the caller's fault; the plugin never saw the call) or the plugin's result.
 */
export function payloadRefused(
  plugin: string,
  method: string,
  side: 'host' | 'plugin',
  cause: RpcError,
  problem: 'too large' | 'cannot be encoded' = 'too large',
): PluginError {
  const host = side === 'host';
  const encodable = problem === 'too large';
  return new PluginError({
    code: 'ERR_PLUGIN_PAYLOAD',
    plugin,
    what: host
      ? `The call to ${method}() of plugin "${plugin}" was not sent: its arguments ${encodable ? 'are too large' : 'cannot be sent to another thread or process'}.`
      : `Plugin "${plugin}" could not send the result of ${method}(): it is too large.`,
    why: cause.message,
    fix: !encodable
      ? /detached/.test(cause.message)
        ? 'An argument is a Uint8Array whose buffer was moved away already (transfer() detaches it when it crosses to a worker): pass a fresh array, or one that was not transferred.'
        : 'Pass only values the wire carries (docs/protocol.md, "Values"): no functions, symbols or class instances; or load the plugin in-process.'
      : host
        ? 'Send less in one call (split the data over several calls), or run the plugin in-process or in a worker, which have no frame limit.'
        : "The plugin returned more than the wire carries in one message; report it to the plugin's author, or ask it for less per call.",
    cause,
    details: { method, side },
  });
}
