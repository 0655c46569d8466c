import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlugin, silentLogger } from '../../src/index.js';
import { MODES } from '../isolation-helpers.js';
import { useTalkbackProject } from './talkback-fixture.js';

// x/init and x/dispose are round trips before the first call and at close. An object-form plugin
// with nothing to dispose says `ready` in its handshake, and the host asks for neither (x/init only
// when it has no config to hand over); a factory gets both, and so does an object with a
// [Symbol.asyncDispose]. The server below is the real serving loop (servePluginOver over
// openPluginEndpoint), with each request that reaches the plugin appended to a file, synchronously.

const server = (entry: string) => `import { appendFileSync } from 'node:fs';
import { openPluginEndpoint, readOffer } from '@x/contract/node';
import { framingFor, parseVersions, PROTOCOL_VERSIONS, servePluginOver } from '@x/contract/wire';
const offered = parseVersions(readOffer().X_PLUGIN_PROTOCOL_VERSIONS);
const endpoint = openPluginEndpoint(framingFor(offered, PROTOCOL_VERSIONS));
const onRequest = endpoint.onRequest.bind(endpoint);
endpoint.onRequest = (method, handler) =>
  onRequest(method, (params, id) => {
    appendFileSync(process.env.X_REQUEST_LOG, method + '\\n');
    return handler(params, id);
  });
await servePluginOver(endpoint, { offered, exportName: 'plugin', load: () => import('./${entry}') });
`;

const OBJECT = `export const plugin = { greet: (n) => 'Hi ' + n, lang: () => 'object' };`;
const DISPOSER = `export const plugin = {
  greet: (n) => 'Hi ' + n,
  lang: () => 'disposer',
  [Symbol.asyncDispose]: async () => {},
};`;
const FACTORY = `import { definePlugin } from '@x/sdk';
import { greeter } from '@x/contract';
export const plugin = definePlugin(greeter, (ctx) => ({ greet: (n) => 'Hi ' + n, lang: () => 'factory' }));
`;

const env = useTalkbackProject((project) => {
  project.link('@x/contract');
  project.link('@x/sdk');
  for (const [name, source] of [
    ['object-form', OBJECT],
    ['object-disposer', DISPOSER],
    ['factory-form', FACTORY],
  ] as const) {
    project.addPlugin(name, { files: { 'index.js': source, 'main.js': server('index.js') } });
  }
});

let run = 0;
/** The requests the plugin got, in order, from load to close (the liveness pings left out). */
async function requestsSeen(name: string, isolation: (typeof MODES)[number]): Promise<string[]> {
  const log = join(env.project.dir, `requests-${run++}.log`);
  writeFileSync(log, '');
  const handle = await loadPlugin(name, {
    cwd: env.project.dir,
    isolation,
    server: join(env.project.dir, 'node_modules', name, 'main.js'),
    env: { X_REQUEST_LOG: log },
    logger: silentLogger,
  });
  env.handles.push(handle);
  expect(await handle.call('greet', ['Ada'])).toBe('Hi Ada');
  await handle.close();
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((m) => m !== '' && m !== 'x/health');
}

describe.each(MODES)('x/init and x/dispose around the first call, %s', (isolation) => {
  it('are skipped for an object-form plugin with nothing to dispose, loaded without config', async () => {
    expect(await requestsSeen('object-form', isolation)).toEqual(['x/call']);
  });

  it('are still sent to an object-form plugin with a [Symbol.asyncDispose]', async () => {
    expect(await requestsSeen('object-disposer', isolation)).toEqual(['x/init', 'x/call', 'x/dispose']);
  });

  it('are still sent to a factory-form plugin', async () => {
    expect(await requestsSeen('factory-form', isolation)).toEqual(['x/init', 'x/call', 'x/dispose']);
  });
});
