import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { frameCodec } from '../wire/frames.js';
import { portEndpoint, type RpcEndpoint, streamEndpoint } from '../wire/index.js';
import { pipeWriter } from './pipe-writer.js';
import { pluginSocket } from './plugin-socket.js';

// The Node.js half of serving a plugin, shared by @x/host's bootstrap and @x/sdk's serve(): opening
// the channel the host made. It is a subpath (`@x/contract/node`) so that the package's main entry
// stays free of Node APIs.

/** The handshake offer: a worker's workerData, or a child process's environment. */
export function readOffer(): Readonly<Record<string, string | undefined>> {
  return isMainThread
    ? process.env
    : ((workerData as Readonly<Record<string, string | undefined>> | undefined) ?? {});
}

/**
 * The host's RPC channel: the worker's parent port, or the dedicated pipe on fd 3 of a child
 * process, speaking `version` (the one chosen from the host's offer) from the first message on.
 */
export function openPluginEndpoint(version: 1 | 2 | 3 = 1): RpcEndpoint {
  if (!isMainThread && parentPort !== null) return portEndpoint(parentPort, { version });
  // fd 3, not stdout: stdout stays the plugin's own, and a stray print cannot break the protocol.
  const { socket, directReads } = pluginSocket(version);
  // The host is gone (closed the pipe, or died): a plugin must never outlive it.
  socket.on('close', () => process.exit(0));
  socket.on('error', () => process.exit(0));
  return streamEndpoint(pipeWriter(socket, 3), {
    version,
    frames: frameCodec,
    directReads,
    onFatal: () => process.exit(1),
  });
}
