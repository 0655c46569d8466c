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

/**
 * Runs one call under the tracing channel. With no subscriber, Node's tracePromise calls `fn`
 * straight away (no context is built either): tracing costs nothing until someone listens.
 */
export function traceCall<T>(
  plugin: string,
  method: string,
  isolation: Isolation,
  args: readonly unknown[],
  fn: () => Promise<T>,
): Promise<T> {
  if (!channel.hasSubscribers) return fn();
  return channel.tracePromise(fn, { plugin, method, isolation, args });
}
