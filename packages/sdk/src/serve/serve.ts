import { AsyncLocalStorage } from 'node:async_hooks';
import { basename } from 'node:path';
import {
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  type MethodContext,
  PROTOCOL_VERSIONS,
  PROTOCOL_VERSIONS_KEY,
} from '@x/contract';
import { openPluginEndpoint, readOffer } from '@x/contract/node';
import { framingFor, notAProgramMessage, parseVersions, servePluginOver } from '@x/contract/wire';

export interface ServeOptions {
  /** The protocol versions this plugin speaks (default: those of the @x/contract it was built with). */
  readonly versions?: readonly number[];
  /** The name the "this is a plugin" message uses (default: the script's file name). */
  readonly name?: string;
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
  const offered = parseVersions(offer[PROTOCOL_VERSIONS_KEY]);
  const endpoint = openPluginEndpoint(framingFor(offered, options.versions ?? PROTOCOL_VERSIONS));
  const started = Date.now();
  void servePluginOver(endpoint, {
    offered,
    versions: options.versions,
    exportName: 'plugin',
    load: async () => ({ plugin }),
    // The isolate's own heap (a worker's is its own; its rss is the whole process's): handle.stats().memory.
    health: () => {
      const { heapUsed, heapTotal, rss } = process.memoryUsage();
      return { uptimeMs: Date.now() - started, heapUsed, heapTotal, rss };
    },
    scope: () => new AsyncLocalStorage<MethodContext>(),
  });
}
