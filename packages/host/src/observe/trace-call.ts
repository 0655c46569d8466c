import { tracingChannel } from 'node:diagnostics_channel';
import type { Isolation } from '@x/contract';

/**
 * The context every `x-plugin:call` event carries: which plugin, which method, where it runs; on
 * `error`, the error; on `asyncEnd`, the result. OpenTelemetry or any APM subscribes without the
 * host depending on it (docs/reliability.md, "Tracing").
 */
export interface CallTraceContext {
  readonly plugin: string;
  readonly method: string;
  readonly isolation: Isolation;
  readonly args: readonly unknown[];
  error?: unknown;
  result?: unknown;
}

/** The tracing channel of every plugin call: start, end, asyncStart, asyncEnd, error. */
export const CALL_CHANNEL = 'x-plugin:call';

const channel = tracingChannel<unknown, CallTraceContext>(CALL_CHANNEL);

/** Whether anyone listens on `x-plugin:call` now (the fast path steps aside when someone does). */
export function callTraced(): boolean {
  return channel.hasSubscribers;
}

/**
 * Runs one call under the tracing channel: `call(method, args, options)`. With no subscriber it is
 * called straight away, with no context and no closure made: tracing costs one property read per
 * call until someone listens.
 */
export function traceCall<O, R>(
  plugin: string,
  isolation: Isolation,
  call: (method: string, args: unknown[], options?: O) => Promise<R>,
  method: string,
  args: unknown[],
  options?: O,
): Promise<R> {
  if (!channel.hasSubscribers) return call(method, args, options);
  return channel.tracePromise(
    call,
    { plugin, method, isolation, args },
    undefined,
    method,
    args,
    options,
  ) as Promise<R>;
}
