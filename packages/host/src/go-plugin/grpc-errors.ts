import type { ServiceError } from '@grpc/grpc-js';
import { PluginError } from '@x/contract';
import { timedOut } from '../client.js';

// gRPC status codes (grpc.status), inlined so that this file needs no grpc-js import at load time.
const CANCELLED = 1;
const DEADLINE_EXCEEDED = 4;
const UNIMPLEMENTED = 12;
const UNAVAILABLE = 14;

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export function crashed(plugin: string, method: string | undefined, exit: ExitInfo): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CRASHED',
    plugin,
    what:
      method === undefined
        ? `Plugin "${plugin}" has crashed.`
        : `Plugin "${plugin}" crashed before it answered ${method}().`,
    why: `Its process exited (${exit.signal ?? `code ${exit.code}`}).`,
    fix: 'See its forwarded stderr for the reason; load it again to restart it.',
    details: { method, ...exit },
  });
}

/** Why a unary gRPC call failed, as the PluginError the caller sees. */
export function callError(
  plugin: string,
  method: string,
  error: ServiceError,
  timeout: number | undefined,
): PluginError {
  if (error.code === DEADLINE_EXCEEDED) return timedOut(plugin, method, timeout);
  if (error.code === CANCELLED) return timedOut(plugin, method, undefined);
  if (error.code === UNIMPLEMENTED) {
    return new PluginError({
      code: 'ERR_PLUGIN_CONTRACT',
      plugin,
      what: `Plugin "${plugin}" does not implement ${method}().`,
      why: `Its gRPC server answered UNIMPLEMENTED: ${error.details}`,
      fix: "Register the contract's service in the plugin's GRPCServer, from @x/contract's .proto file.",
      cause: error,
      details: { method, grpcCode: error.code },
    });
  }
  return new PluginError({
    code: 'ERR_PLUGIN_CALL',
    plugin,
    what: `Plugin "${plugin}" failed ${method}().`,
    why: `Its gRPC server answered status ${error.code}${error.code === UNAVAILABLE ? ' (UNAVAILABLE)' : ''}: ${error.details}`,
    fix: "This is the plugin's own error; see its forwarded logs, and report it to its author if it is a bug.",
    cause: error,
    details: { method, grpcCode: error.code },
  });
}

export function isUnavailable(error: ServiceError): boolean {
  return error.code === UNAVAILABLE || error.code === CANCELLED;
}
