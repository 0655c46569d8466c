import { type HandshakeParams, PROTOCOL_VERSIONS, WIRE_METHODS } from '@x/contract';
import { exitedEarly, handshakeFailed, loadFailed, permissionDenied, startTimedOut } from '../errors.js';
import { deniedApi, isAccessDenied } from '../permissions/access-denied.js';
import type { Channel, ExitInfo } from './channel.js';

export function describeExit(info: ExitInfo): string {
  if (info.error !== undefined) return `${info.error.name}: ${info.error.message}`;
  return info.signal !== null ? `killed by ${info.signal}` : `exit code ${info.code}`;
}

/**
 * Waits for the plugin's handshake (it speaks first, as in go-plugin) and checks it: the version
 * it chose must be one the host offered, and its code must have loaded. Starts the connection.
 */
export async function handshake(
  plugin: string,
  isolation: string,
  entry: string,
  channel: Channel,
  timeoutMs: number,
  offered: readonly number[] = PROTOCOL_VERSIONS,
): Promise<HandshakeParams> {
  let timer: NodeJS.Timeout | undefined;
  const answer = new Promise<HandshakeParams>((resolve, reject) => {
    channel.connection.onNotification(WIRE_METHODS.handshake, (params: HandshakeParams) => resolve(params));
    channel.exited.then((info) => reject(exitedEarly(plugin, describeExit(info), channel.recentOutput())));
    timer = setTimeout(
      () => reject(startTimedOut(plugin, isolation, timeoutMs, channel.recentOutput())),
      timeoutMs,
    );
  });
  channel.connection.listen();
  let params: HandshakeParams;
  try {
    params = await answer;
  } finally {
    clearTimeout(timer);
  }
  if (!offered.includes(params.protocolVersion)) {
    throw handshakeFailed(plugin, offered, params.protocolVersion, params.versions ?? []);
  }
  if (params.error !== undefined || params.plugin === undefined) {
    const cause = Object.assign(new Error(params.error?.message ?? 'no export description'), {
      name: params.error?.name ?? 'Error',
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
