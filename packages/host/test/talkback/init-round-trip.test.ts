import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlugin } from '../../src/index.js';
import { collectingLogger, MODES } from '../isolation-helpers.js';
import { useTalkbackProject } from './talkback-fixture.js';

// x/init is a round trip between the handshake and the first call. An object-form plugin says
// `ready` in its handshake (its instance is made, it takes no config), and a host with no config
// to hand over skips it; a factory still gets it (its config), and so does a plugin handed one.
// The server below is the real serving loop (servePluginOver over openPluginEndpoint), with each
// request that reaches the plugin printed to stderr, which the host forwards to the logger.

const server = (entry: string) => `import { openPluginEndpoint, readOffer } from '@x/contract/node';
import { framingFor, parseVersions, PROTOCOL_VERSIONS, servePluginOver } from '@x/contract/wire';
const offered = parseVersions(readOffer().X_PLUGIN_PROTOCOL_VERSIONS);
const endpoint = openPluginEndpoint(framingFor(offered, PROTOCOL_VERSIONS));
const onRequest = endpoint.onRequest.bind(endpoint);
endpoint.onRequest = (method, handler) =>
  onRequest(method, (params, id) => {
    console.error('request ' + method);
    return handler(params, id);
  });
await servePluginOver(endpoint, { offered, exportName: 'plugin', load: () => import('./${entry}') });
`;

const OBJECT = `export const plugin = { greet: (n) => 'Hi ' + n, lang: () => 'object' };`;
const FACTORY = `import { definePlugin } from '@x/sdk';
import { greeter } from '@x/contract';
export const plugin = definePlugin(greeter, (ctx) => ({ greet: (n) => 'Hi ' + n, lang: () => 'factory' }));
`;

const env = useTalkbackProject((project) => {
  project.link('@x/contract');
  project.link('@x/sdk');
  project.addPlugin('object-form', { files: { 'index.js': OBJECT, 'main.js': server('index.js') } });
  project.addPlugin('factory-form', { files: { 'index.js': FACTORY, 'main.js': server('index.js') } });
});

async function requestsSeen(name: string, isolation: (typeof MODES)[number]): Promise<string[]> {
  const { logger, lines } = collectingLogger();
  const handle = await loadPlugin(name, {
    cwd: env.project.dir,
    isolation,
    server: join(env.project.dir, 'node_modules', name, 'main.js'),
    logger,
  });
  env.handles.push(handle);
  expect(await handle.call('greet', ['Ada'])).toBe('Hi Ada');
  const seen = () => lines.map((l) => l.message).filter((m) => m.startsWith('request '));
  // stderr reaches the logger a little after the answer: wait for the call's own line.
  for (let i = 0; i < 100 && !seen().includes('request x/call'); i++)
    await new Promise((r) => setTimeout(r, 20));
  await handle.close();
  // Health pings (the supervisor's liveness) may come in between: only x/init and x/call count.
  return seen().filter((m) => m !== 'request x/health');
}

describe.each(MODES)('x/init before the first call, %s', (isolation) => {
  it('is skipped for an object-form plugin loaded without config: the first request is the call', async () => {
    const seen = await requestsSeen('object-form', isolation);
    expect(seen[0]).toBe('request x/call');
    expect(seen).not.toContain('request x/init');
  });

  it('is still sent to a factory-form plugin, before its first call', async () => {
    const seen = await requestsSeen('factory-form', isolation);
    expect(seen.slice(0, 2)).toEqual(['request x/init', 'request x/call']);
  });
});
