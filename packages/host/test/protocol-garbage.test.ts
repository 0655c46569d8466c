import { join } from 'node:path';
import { greeter, type PluginError } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPlugin } from '../src/index.js';
import { Project } from './fixtures.js';
import { assertNothingLeft, collectingLogger, MODES, snapshot, warmUp } from './isolation-helpers.js';

// Plugins that speak the wire protocol by hand (as one in another language would, from
// docs/protocol.md) and send garbage around it. The host ignores and logs what it cannot use,
// settles every call, and goes on answering.

/** A server written without any library: `transport` gives send(text) and onText(handler). */
const handWritten = (transport: string, handshake: string) => `${transport}
const send = (m) => sendText(typeof m === 'string' ? m : JSON.stringify(m));
// Garbage before the handshake.
for (const g of ['not json', '{"jsonrpc":"2.0","id":999,"result":1}', '[]', '42', '{"jsonrpc":"2.0","method":"x/nobody"}',
  '{"jsonrpc":"2.0","id":"p1","method":"host/secret"}', '{"jsonrpc":"1.0","method":"x/handshake"}']) send(g);
send(${handshake});
send({ jsonrpc: '2.0', method: 'x/log', params: { level: 'info', message: 'hello from the plugin' } });
onText((text) => {
  for (const line of text.split('\\n')) {
    if (line.trim() === '') continue;
    const m = JSON.parse(line);
    if (m.method === 'x/health') send({ jsonrpc: '2.0', id: m.id, result: { ok: true } });
    if (m.method !== 'x/call') continue;
    const { method, args } = m.params;
    if (method === 'greet' && args[0] === 'twice') {
      send({ jsonrpc: '2.0', id: m.id, result: 'first' });
      send({ jsonrpc: '2.0', id: m.id, result: 'second' }); // a duplicate answer
      send('{"jsonrpc":"2.0","id":'); // a truncated line
      send('');
    } else if (method === 'greet' && args[0] === 'malformed') {
      send({ jsonrpc: '2.0', id: m.id, result: 1, error: { code: 1, message: 'both' } });
    } else if (method === 'greet' && args[0] === 'wrong-type') {
      send({ jsonrpc: '2.0', id: m.id, error: { code: 'E', message: 42 } });
    } else if (method === 'greet') {
      send({ jsonrpc: '2.0', id: m.id, result: 'Hello, ' + args[0] + '!' });
    } else {
      send({ jsonrpc: '2.0', id: m.id, result: 'hand-written' });
    }
  }
});
`;

const PROCESS_TRANSPORT = `const { writeSync } = require('node:fs');
const { Socket } = require('node:net');
const pipe = new Socket({ fd: 3, readable: true, writable: true });
pipe.on('close', () => process.exit(0));
pipe.setEncoding('utf8');
let rest = '';
const sendText = (t) => writeSync(3, t + '\\n');
const onText = (f) => pipe.on('data', (d) => { const all = rest + d; const i = all.lastIndexOf('\\n'); rest = all.slice(i + 1); if (i >= 0) f(all.slice(0, i)); });`;

const WORKER_TRANSPORT = `const { parentPort } = require('node:worker_threads');
const sendText = (t) => parentPort.postMessage(t);
const onText = (f) => parentPort.on('message', (m) => f(String(m)));`;

const HANDSHAKE = `{ jsonrpc: '2.0', method: 'x/handshake', params: { protocolVersion: 1, versions: [1],
  plugin: { exportNames: ['plugin'], members: { greet: 'function', lang: 'function' } } } }`;

let project: Project;
let before: ReturnType<typeof snapshot>;

beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
  before = snapshot();
});
afterEach(() => project.remove());

describe.each(MODES)('%s isolation: a plugin that sends garbage', (isolation) => {
  const transport = isolation === 'process' ? PROCESS_TRANSPORT : WORKER_TRANSPORT;

  it('is ignored and logged; calls settle, and the plugin keeps answering', async () => {
    project.addPlugin('garbage', {
      files: { 'index.js': 'export const plugin = {};', 'server.cjs': handWritten(transport, HANDSHAKE) },
    });
    const { logger, lines } = collectingLogger();
    const handle = await loadPlugin('garbage', {
      cwd: project.dir,
      isolation,
      contract: greeter,
      logger,
      server: join(project.dir, 'node_modules/garbage/server.cjs'),
    });
    try {
      expect(await handle.plugin.greet('World')).toBe('Hello, World!');
      expect(await handle.plugin.greet('twice')).toBe('first');
      const malformed = (await handle.plugin.greet('malformed').catch((e: unknown) => e)) as PluginError;
      expect(malformed.code).toBe('ERR_PLUGIN_CALL');
      expect(malformed.message).toContain('Malformed response');
      const wrongType = (await handle.plugin.greet('wrong-type').catch((e: unknown) => e)) as PluginError;
      expect(wrongType.code).toBe('ERR_PLUGIN_CALL');
      expect(await handle.plugin.lang()).toBe('hand-written');
      expect((await handle.health!()).ok).toBe(true);
      const protocol = lines.filter((l) => l.fields.stream === 'rpc').map((l) => l.message);
      expect(protocol.every((m) => m.startsWith('Protocol: ignored'))).toBe(true);
      expect(protocol.some((m) => m.includes('not JSON'))).toBe(true);
      expect(protocol.some((m) => m.includes('unknown id'))).toBe(true);
      expect(lines).toContainEqual({
        level: 'info',
        message: 'hello from the plugin',
        fields: { plugin: 'garbage', stream: 'log' },
      });
    } finally {
      const pid = handle.pid;
      await handle.close();
      await assertNothingLeft(before, pid === undefined ? [] : [pid]);
    }
  });

  it('a malformed handshake fails the load with ERR_PLUGIN_HANDSHAKE, and the plugin is stopped', async () => {
    const bad = `{ jsonrpc: '2.0', method: 'x/handshake', params: { protocolVersion: 'one', plugin: 5 } }`;
    project.addPlugin('bad-hello', {
      files: { 'index.js': 'export const plugin = {};', 'server.cjs': handWritten(transport, bad) },
    });
    const error = (await loadPlugin('bad-hello', {
      cwd: project.dir,
      isolation,
      contract: greeter,
      logger: collectingLogger().logger,
      server: join(project.dir, 'node_modules/bad-hello/server.cjs'),
    }).catch((e: unknown) => e)) as PluginError;
    expect(error.code).toBe('ERR_PLUGIN_HANDSHAKE');
    expect(error.message).toContain('malformed handshake: "protocolVersion" is not an integer');
    await assertNothingLeft(before, []);
  });
});
