import { channel as diagnosticsChannel } from 'node:diagnostics_channel';
import type { Isolation } from '@x/contract';

/** What every `x-plugin:stream` message carries: a stream method's stream opened, or ended. */
export interface StreamTraceMessage {
  readonly plugin: string;
  readonly method: string;
  readonly isolation: Isolation;
  /** `open`: its first next() reached the plugin; `end`: done, cancelled, aborted or failed. */
  readonly event: 'open' | 'end';
}

/**
 * A stream outlives its call: `x-plugin:call` sees the call that hands out the iterable, and this
 * channel the stream's own life, so that an APM can time it as a span of its own.
 */
export const STREAM_CHANNEL = 'x-plugin:stream';

const channel = diagnosticsChannel(STREAM_CHANNEL);

export function traceStream(
  plugin: string,
  method: string,
  isolation: Isolation,
  event: 'open' | 'end',
): void {
  if (channel.hasSubscribers)
    channel.publish({ plugin, method, isolation, event } satisfies StreamTraceMessage);
}
