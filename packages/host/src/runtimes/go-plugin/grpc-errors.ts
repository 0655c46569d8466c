import { PluginError } from '@x/contract';
import { timedOut } from '../../core/call-errors.js';

// gRPC status codes (grpc.status), inlined so that this file needs no grpc-js import at load time.
const CANCELLED = 1;
const DEADLINE_EXCEEDED = 4;
const UNIMPLEMENTED = 12;
const UNAVAILABLE = 14;

/** A failed call's gRPC status: grpc-js's ServiceError, or h2-unary.ts's GrpcStatusError. */
export interface GrpcFailure extends Error {
  readonly code: number;
  readonly details: string;
}

/** Why a unary gRPC call failed, as the PluginError the caller sees. */
export function callError(
  plugin: string,
  method: string,
  error: GrpcFailure,
  timeout: number | undefined,
): PluginError {
  // The call pipeline's own timer usually fires first; gRPC's deadline may beat it by a tick.
  if (error.code === DEADLINE_EXCEEDED && timeout !== undefined) return timedOut(plugin, method, timeout);
  if (error.code === UNIMPLEMENTED) {
    return new PluginError({
      code: 'ERR_PLUGIN_CONTRACT',
      plugin,
      what: `Plugin "${plugin}" does not implement ${method}().`,
      why: `Its gRPC server answered UNIMPLEMENTED: ${error.details}`,
      fix: "Register the service in the plugin's GRPCServer, or point xPlugin.proto and xPlugin.service at the service it serves (docs/polyglot.md).",
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

export function isUnavailable(error: GrpcFailure): boolean {
  return error.code === UNAVAILABLE || error.code === CANCELLED;
}
