import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  notAProgramMessage,
  PROTOCOL_VERSIONS_KEY,
  parseVersions,
  portEndpoint,
  type RpcEndpoint,
  servePluginOver,
  streamEndpoint,
} from '@x/contract';

// The host's generic plugin server: the script @x/host starts in a worker thread or a child
// process. It imports any plugin package's entry, looks up its export and serves it, so that a
// plain `export const plugin = definePlugin(...)` runs isolated unchanged. It speaks the same
// protocol as @x/sdk's serve() because both are servePluginOver() from @x/contract. It is built as
// one self-contained CommonJS file (tsup.config.ts), so a new isolate loads it and the plugin, and
// nothing else.

interface Offer {
  readonly [MAGIC_COOKIE_KEY]?: string;
  readonly [PROTOCOL_VERSIONS_KEY]?: string;
  readonly entry?: string;
  readonly export?: string;
}

function openEndpoint(): RpcEndpoint {
  if (!isMainThread && parentPort !== null) return portEndpoint(parentPort);
  // fd 3: the dedicated pipe the host opened for RPC, so that stdout stays free for the plugin.
  const socket = new Socket({ fd: 3, readable: true, writable: true });
  // The host is gone (closed the pipe, or died): a plugin must never outlive it.
  socket.on('close', () => process.exit(0));
  socket.on('error', () => process.exit(0));
  socket.setEncoding('utf8');
  return streamEndpoint(socket);
}

async function main(): Promise<void> {
  const offer: Offer = isMainThread
    ? { ...process.env, entry: process.argv[2], export: process.argv[3] }
    : ((workerData as Offer | undefined) ?? {});
  if (offer[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE || offer.entry === undefined) {
    process.stderr.write(`${notAProgramMessage('This file')}\n`);
    process.exit(1);
  }
  const entry = offer.entry;
  const endpoint = openEndpoint();
  const started = Date.now();
  await servePluginOver(endpoint, {
    offered: parseVersions(offer[PROTOCOL_VERSIONS_KEY]),
    exportName: offer.export ?? 'plugin',
    // A CommonJS entry is required: the isolate then never starts the ESM loader (see resolveIsolateEntry).
    load: async () =>
      entry.endsWith('.cjs') ? createRequire(entry)(entry) : import(pathToFileURL(entry).href),
    health: () => ({ uptimeMs: Date.now() - started, heapUsed: process.memoryUsage().heapUsed }),
  });
}

void main();
