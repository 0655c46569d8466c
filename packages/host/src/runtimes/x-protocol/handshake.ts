import { PROTOCOL_VERSIONS } from '@x/contract';
import { type HandshakeParams, readHandshake, WIRE_METHODS } from '@x/contract/wire';
import { withDeadline } from '../../core/deadline.js';
import { describeExit } from '../../core/supervisor.js';
import {
  badHandshake,
  exitedEarly,
  handshakeFailed,
  loadAborted,
  loadFailed,
  permissionDenied,
  startTimedOut,
} from '../../errors.js';
import { deniedApi, isAccessDenied } from '../../permissions/access-denied.js';
import type { Channel } from './channel.js';
import { errorFromWire } from './from-wire-error.js';

/**
 * Waits for the plugin's handshake (it speaks first, as in go-plugin) and checks it: the version
 * it chose must be one the host offered, and its code must have loaded. Anything the plugin sends
 * before it is ignored (and logged by the endpoint); a handshake that is not one fails the load.
 */
export async function handshake(
  plugin: string,
  isolation: string,
  entry: string,
  channel: Channel,
  timeoutMs: number,
  signal?: AbortSignal,
  offered: readonly number[] = PROTOCOL_VERSIONS,
): Promise<HandshakeParams> {
  const answer = new Promise<HandshakeParams>((resolve, reject) => {
    channel.endpoint.onNotification(WIRE_METHODS.handshake, (raw) => {
      const params = readHandshake(raw);
      if (typeof params === 'string') reject(badHandshake(plugin, params));
      else resolve(params);
    });
    channel.exited.then((info) => reject(exitedEarly(plugin, describeExit(info), channel.recentOutput())));
  });
  const params = await withDeadline(
    answer,
    timeoutMs,
    () => startTimedOut(plugin, isolation, timeoutMs, channel.recentOutput()),
    signal,
    () => loadAborted(plugin, signal),
  );
  if (!offered.includes(params.protocolVersion)) {
    throw handshakeFailed(plugin, offered, params.protocolVersion, params.versions);
  }
  // A plugin speaks its chosen version's framing and envelope from its first byte (docs/protocol.md);
  // one that claims version 2 in version 1's framing (or 3 in 2's, or the reverse) would misread
  // everything after.
  const framing = channel.wireVersion();
  const expected = params.protocolVersion >= 3 ? 3 : params.protocolVersion === 2 ? 2 : 1;
  if (framing !== undefined && framing !== expected) {
    throw badHandshake(
      plugin,
      `it chose protocol version ${params.protocolVersion} but wrote its handshake in version ${framing}'s framing`,
    );
  }
  if (params.error !== undefined || params.plugin === undefined) {
    // The import's error rebuilt as a call's would be (code, properties, cause chain).
    const cause =
      typeof params.error?.name === 'string'
        ? errorFromWire(params.error)
        : Object.assign(new Error(params.error?.message ?? 'no export description'), {
            stack: params.error?.stack,
          });
    if (isAccessDenied(cause)) throw permissionDenied(plugin, '(import)', deniedApi(cause.stack), cause);
    throw loadFailed(
      plugin,
      entry,
      cause,
      'Fix the error above in the plugin, or reinstall it; run it in-process to see the full stack.',
    );
  }
  return params;
}
