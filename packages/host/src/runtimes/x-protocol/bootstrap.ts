import type { MethodContext } from '@x/contract';
// Everything from ./wire, never the main entry (contracts, schemas: ~48 KB the plugin loads for itself).
import {
  framingFor,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  notAProgramMessage,
  PROTOCOL_VERSIONS,
  PROTOCOL_VERSIONS_KEY,
  parseVersions,
  portEndpoint,
  type RpcEndpoint,
  servePluginOver,
  streamEndpoint,
} from '@x/contract/wire';
import { GROUP_OFFER_KEY } from '../group/group-methods.js';
import { serveGroup } from '../group/serve-group.js';
import { PROFILE_AGENT_SOURCE } from './profile-agent-source.js';

// The host's generic plugin server: the script @x/host starts in a worker thread or a child
// process. It imports any plugin package's entry, looks up its export and serves it, so that a
// plain `export const plugin = definePlugin(...)` runs isolated unchanged. It speaks the same
// protocol as @x/sdk's serve() because both are servePluginOver() from @x/contract. It is built as
// one self-contained CommonJS file (tsup.config.ts), so a new isolate loads it and the plugin, and
// nothing else.
//
// Node's built-in modules are required where they are used, not imported at the top (which the
// bundle would hoist): start time is what isolation costs over a bare worker or `node` child, and
// each module a fresh isolate loads counts. Measured on Node 20: worker_threads costs a child process
// ~0.4 ms, net costs a worker ~0.4 ms and `module` ~0.8 ms, and neither needs the other's. For the
// same reason this does not use @x/contract/node's openPluginEndpoint(), which imports both.

interface Offer {
  readonly [MAGIC_COOKIE_KEY]?: string;
  readonly [PROTOCOL_VERSIONS_KEY]?: string;
  readonly entry?: string;
  readonly export?: string;
  readonly [GROUP_OFFER_KEY]?: string;
  /** profileOnHang, process plugins: where the profile agent listens (runtimes/process/profile-agent.ts). */
  readonly X_PLUGIN_PROFILE_SOCKET?: string;
}

// The host starts a process as `node bootstrap.cjs <entry> <export>` and a worker with no argv (a
// worker's process.argv is [execPath, script]), so this tells them apart without loading worker_threads.
const inWorker = process.argv.length <= 2;

/** The host's RPC channel: the worker's parent port, or the dedicated pipe on fd 3 (not stdout). */
function openEndpoint(version: 1 | 2 | 3): RpcEndpoint {
  if (inWorker) {
    const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
    if (parentPort !== null) return portEndpoint(parentPort, { version });
  }
  // The plugin's end of fd 3, opened as @x/contract/node's openPluginEndpoint() opens it (versions
  // 2 and 3 read frames in place, a small frame leaves in one write(2); the host gone, the plugin exits), from isolate/pipe.cjs: a file apart,
  // so that a worker never compiles msgpackr nor loads node:net.
  const { frameCodec, pipeWriter, pluginSocket } = require(
    `${__dirname}/pipe.cjs`,
  ) as typeof import('./bootstrap-pipe.js');
  const { socket, directReads } = pluginSocket(version);
  socket.on('close', () => process.exit(0));
  socket.on('error', () => process.exit(0));
  return streamEndpoint(pipeWriter(socket, 3), {
    version,
    frames: frameCodec,
    directReads,
    onFatal: () => process.exit(1),
  });
}

function readOffer(): Offer {
  if (!inWorker) return { ...process.env, entry: process.argv[2], export: process.argv[3] };
  const { workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  return (workerData as Offer | undefined) ?? {};
}

async function main(): Promise<void> {
  const offer = readOffer();
  if (offer[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE || offer.entry === undefined) {
    process.stderr.write(`${notAProgramMessage('This file')}\n`);
    process.exit(1);
  }
  const entry = offer.entry;
  if (!inWorker && offer.X_PLUGIN_PROFILE_SOCKET !== undefined)
    startProfileAgent(offer.X_PLUGIN_PROFILE_SOCKET);
  const offered = parseVersions(offer[PROTOCOL_VERSIONS_KEY]);
  const endpoint = openEndpoint(framingFor(offered, PROTOCOL_VERSIONS));
  const started = Date.now();
  // The isolate's own heap (a worker's is its own; its rss is the whole process's): handle.stats().memory.
  const health = () => {
    const { heapUsed, heapTotal, rss } = process.memoryUsage();
    return { uptimeMs: Date.now() - started, heapUsed, heapTotal, rss };
  };
  // talkback hook: required only for a factory-form plugin, whose host calls follow their call.
  const scope = () => {
    const { AsyncLocalStorage } = require('node:async_hooks') as typeof import('node:async_hooks');
    return new AsyncLocalStorage<MethodContext>();
  };
  if (offer[GROUP_OFFER_KEY] === '1') {
    // An isolation group: the host sends the members' entries one by one (docs/protocol.md, "Groups").
    serveGroup(endpoint, { offered, importEntry, health, scope });
    return;
  }
  await servePluginOver(endpoint, {
    offered,
    exportName: offer.export ?? 'plugin',
    load: () => importEntry(entry, 0),
    health,
    scope,
  });
}

/**
 * A CommonJS entry is required (this bundle's own require takes an absolute path): the isolate
 * then never starts the ESM loader (see resolveIsolateEntry). `fresh` > 0: a group member that
 * comes back (after idling out) gets a new copy of its entry module, not the disposed one.
 */
async function importEntry(entry: string, fresh: number): Promise<Record<string, unknown>> {
  if (entry.endsWith('.cjs')) {
    if (fresh > 0) delete require.cache[entry];
    return require(entry);
  }
  const { pathToFileURL } = require('node:url') as typeof import('node:url');
  const url = pathToFileURL(entry).href;
  return import(fresh > 0 ? `${url}?x-plugin-load=${fresh}` : url);
}

/** A worker of its own event loop, which can profile this thread while it hangs. */
function startProfileAgent(path: string): void {
  try {
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    const agent = new Worker(PROFILE_AGENT_SOURCE, {
      eval: true,
      workerData: { path },
      env: {},
      stdout: true,
      stderr: true,
    });
    agent.on('error', () => {}); // Without it, a hang is reported all the same, just not profiled.
    agent.unref();
  } catch {
    // Refused (a permission model without workers): the host logs that the profile could not be taken.
  }
}

void main();
