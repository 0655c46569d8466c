import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread, workerData } from 'node:worker_threads';
import {
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  notAProgramMessage,
  PROTOCOL_VERSIONS_KEY,
  parseVersions,
  servePluginOver,
} from '@x/contract';
import { openPluginEndpoint } from '@x/contract/node';

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

async function main(): Promise<void> {
  const offer: Offer = isMainThread
    ? { ...process.env, entry: process.argv[2], export: process.argv[3] }
    : ((workerData as Offer | undefined) ?? {});
  if (offer[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE || offer.entry === undefined) {
    process.stderr.write(`${notAProgramMessage('This file')}\n`);
    process.exit(1);
  }
  const entry = offer.entry;
  const endpoint = openPluginEndpoint();
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
