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
  /** Set when the call settles, before `error` / `asyncStart` / `asyncEnd`: ms from its start. */
  durationMs?: number;
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
  const context: CallTraceContext = { plugin, method, isolation, args };
  const started = performance.now();
  const took = () => {
    context.durationMs = performance.now() - started;
  };
  // The duration is set on the context by the call's own settlement, which runs before the
  // channel's handlers (they are chained on the promise this returns).
  return channel.tracePromise(
    () =>
      call(method, args, options).then(
        (result) => {
          took();
          return result;
        },
        (error: unknown) => {
          took();
          throw error;
        },
      ),
    context,
  ) as Promise<R>;
}
