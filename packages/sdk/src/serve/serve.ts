import { Socket } from 'node:net';
import { basename } from 'node:path';
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

export interface ServeOptions {
  /** The protocol versions this plugin speaks (default: those of the @x/contract it was built with). */
  readonly versions?: readonly number[];
  /** The name the "this is a plugin" message uses (default: the script's file name). */
  readonly name?: string;
}

type Offer = Readonly<Record<string, string | undefined>>;

/** The handshake offer: a worker's workerData, or a child process's environment. */
function readOffer(): Offer {
  return isMainThread ? process.env : ((workerData as Offer | undefined) ?? {});
}

// The transport half is the same few lines as @x/host's bootstrap: opening fd 3 is Node-specific,
// so it cannot live in @x/contract, and the host never imports the SDK (docs/protocol.md explains
// the split). The endpoints themselves are @x/contract's.
function openEndpoint(): RpcEndpoint {
  if (!isMainThread && parentPort !== null) return portEndpoint(parentPort);
  // fd 3 is the host's dedicated RPC pipe; stdout stays the plugin's own.
  const socket = new Socket({ fd: 3, readable: true, writable: true });
  socket.on('close', () => process.exit(0));
  socket.on('error', () => process.exit(0));
  socket.setEncoding('utf8');
  return streamEndpoint(socket);
}

/**
 * Serves a plugin to the host that started this worker or process (go-plugin's `plugin.Serve`).
 * Run by hand, without the host's magic cookie, it explains that this is a plugin and exits 1.
 * Load a file that calls it with `loadPlugin(pkg, { isolation: 'process', server: file })`.
 * @example serve(definePlugin(greeter, { greet: (n) => `Hi ${n}`, lang: () => 'English' }));
 */
export function serve(plugin: object, options: ServeOptions = {}): void {
  const offer = readOffer();
  if (offer[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    const name = options.name ?? basename(process.argv[1] ?? 'this plugin');
    process.stderr.write(`${notAProgramMessage(name)}\n`);
    process.exit(1);
  }
  const endpoint = openEndpoint();
  const started = Date.now();
  void servePluginOver(endpoint, {
    offered: parseVersions(offer[PROTOCOL_VERSIONS_KEY]),
    versions: options.versions,
    exportName: 'plugin',
    load: async () => ({ plugin }),
    health: () => ({ uptimeMs: Date.now() - started, heapUsed: process.memoryUsage().heapUsed }),
  });
}
