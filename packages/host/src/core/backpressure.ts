import type { PluginError } from '@x/contract';
import { busy } from '../errors.js';

// What bounds the host's memory when a plugin does not keep up: one that never reads its input
// (its pipe fills, and Node's socket buffers every further write in the host), or one that reads
// but never answers (every call waits, holding its arguments). Without a cap both grow for as
// long as the host keeps calling. New calls fail fast instead, with ERR_PLUGIN_BUSY: a caller can
// tell "slow down" from a crash, and the calls already in flight keep their chance to finish.

/** Caps on what may wait on one isolated plugin (load options of the same names). */
export interface Backpressure {
  /** Calls sent and not yet answered, at most (default 10,000). */
  readonly maxPendingCalls: number;
  /** Bytes written to a process plugin's pipe that it has not read yet, at most (default 64 MiB). */
  readonly maxQueuedBytes: number;
}

export const DEFAULT_BACKPRESSURE: Backpressure = Object.freeze({
  maxPendingCalls: 10_000,
  // The longest line either side accepts (MAX_LINE_LENGTH): one maximal call still goes through.
  maxQueuedBytes: 64 * 1024 * 1024,
});

/** The ERR_PLUGIN_BUSY a new call fails with when a cap is reached, else undefined. */
export function refuseIfBusy(
  plugin: string,
  method: string,
  pendingCalls: number,
  queuedBytes: number,
  limits: Backpressure,
): PluginError | undefined {
  if (pendingCalls >= limits.maxPendingCalls) {
    return busy(
      plugin,
      method,
      `${pendingCalls} calls are waiting for an answer (the cap is ${limits.maxPendingCalls}): the plugin does not answer as fast as it is called.`,
      'maxPendingCalls',
      { pendingCalls },
    );
  }
  if (queuedBytes > limits.maxQueuedBytes) {
    return busy(
      plugin,
      method,
      `${queuedBytes} bytes written to it are still unread (the cap is ${limits.maxQueuedBytes}): the plugin does not read its input.`,
      'maxQueuedBytes',
      { queuedBytes },
    );
  }
  return undefined;
}
