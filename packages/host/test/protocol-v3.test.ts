import { createRequire } from 'node:module';
import { join } from 'node:path';
import { greeter, type PluginError } from '@x/contract';
import { RPC_ERRORS } from '@x/contract/wire';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPlugin } from '../src/index.js';
import { Project } from './fixtures.js';
import { assertNothingLeft, collectingLogger, MODES, snapshot, warmUp } from './isolation-helpers.js';

// Plugins that speak protocol version 3 by hand (docs/protocol.md, "Version 3"), as one in another
// language would, and send malformed arrays around it: wrong arity, wrong types, unknown kinds,
// reused ids. The host ignores and logs each (as it does malformed version 2 objects), answers a
// malformed request that has an id with a coded error, settles every call, and goes on answering.

const FRAMES = createRequire(import.meta.url).resolve('@x/contract/frames');

/** Worker: each post is a message or a batch, as a structured clone. */
const WORKER_TRANSPORT = `const { parentPort } = require('node:worker_threads');
const post = (m) => parentPort.postMessage(m);
const onMessage = (f) => parentPort.on('message', (v) => (Array.isArray(v) && typeof v[0] !== 'number' ? v.forEach(f) : f(v)));`;

/** Process: msgpack frames on fd 3, written and read with @x/contract's own frame codec. */
const PROCESS_TRANSPORT = `const { encodeFrame, FrameDecoder } = require(${JSON.stringify(FRAMES)});
const { writeSync } = require('node:fs');
const { Socket } = require('node:net');
const pipe = new Socket({ fd: 3, readable: true, writable: true });
pipe.on('close', () => process.exit(0));
const post = (m) => writeSync(3, encodeFrame(m));
const onMessage = (f) => {
  const d = new FrameDecoder({ onMessage: (v) => (Array.isArray(v) && typeof v[0] !== 'number' ? v.forEach(f) : f(v)), onProblem() {}, onFatal() {} });
  pipe.on('data', (c) => d.push(c));
};`;

const SHAPE = `{ exportNames: ['plugin'], members: { greet: 'function', lang: 'function' } }`;

// garbage: what the plugin sends before its handshake (the endpoint reports the first 20 problems one by one).
const hostile = (transport: string, garbage: string) => `${transport}
const answers = []; // the host's answers to this plugin's own (malformed) requests
// First a well-formed version 3 message (the host reads the envelope from the first one), then garbage.
post([1, 'x/nobody', null]);
for (const g of ${garbage}) post(g);
post([1, 'x/handshake', { protocolVersion: 3, versions: [1, 2, 3], plugin: ${SHAPE} }]);
post([1, 'x/log', { level: 'info', message: 'hello from a v3 plugin' }]);
if (${garbage}.length > 0) {
  post([0, 8, 'x/nobody', null]);
  post([0, 8, 'x/nobody', null]); // the same id again
}
onMessage((m) => {
  if (m[0] === 2 || m[0] === 3) return void answers.push(m);
  if (m[0] !== 0) return;
  const [, id, method, params] = m;
  if (method === 'x/health') return post([2, id, { ok: true }]);
  if (method !== 'x/call') return;
  const [name, args] = params;
  if (name === 'lang') return post([2, id, JSON.stringify(answers.map((a) => [a[1], a[0] === 3 ? a[2].code : 'result']))]);
  const a = args[0];
  if (a === 'twice') { post([2, id, 'first']); post([2, id, 'second']); }
  else if (a === 'arity') post([2, id, 'x', 'extra']);
  else if (a === 'short') post([2, id]);
  else if (a === 'wrong-type') post([3, id, { code: 'E', message: 42 }]);
  else if (a === 'bad-kind') { post(['2', id, 'no']); post([7, id, 'no']); post([2, id, 'after garbage']); }
  else if (a === 'string-id') { post([2, String(id), 'no']); post([2, id, 'numeric id']); }
  else if (a === 'batch') post([[2, id, 'batched'], 'junk', [9]]);
  else post([2, id, 'Hello, ' + a + '!']);
});
`;

/** A plugin that claims one version in its handshake and writes it in another's envelope. */
const mismatched = (transport: string, message: string) => `${transport}
post(${message});
onMessage(() => {});
`;

let project: Project;
let before: ReturnType<typeof snapshot>;

beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
  before = snapshot();
});
afterEach(() => project.remove());

describe.each(MODES)('%s isolation: a version 3 plugin that sends malformed arrays', (isolation) => {
  const transport = isolation === 'process' ? PROCESS_TRANSPORT : WORKER_TRANSPORT;
  const loadServer = (name: string, source: string, logger = collectingLogger().logger) => {
    project.addPlugin(name, { files: { 'index.js': 'export const plugin = {};', 'server.cjs': source } });
    return loadPlugin(name, {
      cwd: project.dir,
      isolation,
      contract: greeter,
      logger,
      server: join(project.dir, `node_modules/${name}/server.cjs`),
    });
  };

  const protocolLines = (lines: ReturnType<typeof collectingLogger>['lines']) => {
    const protocol = lines.filter((l) => l.fields.stream === 'rpc').map((l) => l.message);
    expect(protocol.length).toBeLessThanOrEqual(20); // else the endpoint stops reporting one by one
    expect(protocol.every((m) => m.startsWith('Protocol: ignored'))).toBe(true);
    return protocol;
  };
  const expectProblems = (protocol: readonly string[], whys: readonly string[]) => {
    for (const why of whys) {
      expect(
        protocol.some((m) => m.includes(why)),
        why,
      ).toBe(true);
    }
  };

  it('ignores and logs malformed messages, and answers malformed requests with coded errors', async () => {
    const { logger, lines } = collectingLogger();
    const garbage = `[[], [9, 1], [2, 999, 1], [1, 5, null], [1, 'x/log'], [0, 7], [0, 9, 42, null], [0, {}, 'x/host', null],
  { jsonrpc: '2.0', method: 'x/nobody' }, [[[1, 'x/nobody', null]]], 'text', null]`;
    const handle = await loadServer('hostile-v3', hostile(transport, garbage), logger);
    try {
      expect(await handle.plugin.greet('World')).toBe('Hello, World!');
      expect((await handle.health!()).ok).toBe(true);
      // The host answered the plugin's requests that had a usable id, each with its code.
      const answered = JSON.parse(await handle.plugin.lang()) as [number, number][];
      expect(answered).toEqual([
        [7, RPC_ERRORS.invalidRequest],
        [9, RPC_ERRORS.invalidRequest],
        [8, RPC_ERRORS.methodNotFound],
        [8, RPC_ERRORS.methodNotFound],
      ]);
      expectProblems(protocolLines(lines), [
        'an empty batch',
        'a message of no known kind',
        'a response to an unknown id: 999',
        'a malformed notification',
        'a malformed request',
        'a request whose id is not a number or string',
        'not a protocol version 3 array',
        'a batch nested in a batch',
      ]);
      expect(lines).toContainEqual({
        level: 'info',
        message: 'hello from a v3 plugin',
        fields: { plugin: 'hostile-v3', stream: 'log' },
      });
    } finally {
      const pid = handle.pid;
      await handle.close();
      await assertNothingLeft(before, pid === undefined ? [] : [pid]);
    }
  });

  it('settles every call whose answer is malformed, and goes on answering', async () => {
    const { logger, lines } = collectingLogger();
    const handle = await loadServer('malformed-answers', hostile(transport, '[]'), logger);
    try {
      expect(await handle.plugin.greet('World')).toBe('Hello, World!');
      expect(await handle.plugin.greet('twice')).toBe('first');
      for (const bad of ['arity', 'short', 'wrong-type']) {
        const error = (await handle.plugin.greet(bad).catch((e: unknown) => e)) as PluginError;
        expect(error.code, bad).toBe('ERR_PLUGIN_CALL');
        expect(error.message, bad).toContain('Malformed response');
      }
      expect(await handle.plugin.greet('bad-kind')).toBe('after garbage');
      expect(await handle.plugin.greet('string-id')).toBe('numeric id');
      expect(await handle.plugin.greet('batch')).toBe('batched');
      expect(await handle.plugin.lang()).toBe('[]');
      const protocol = protocolLines(lines);
      expectProblems(protocol, [
        'a malformed response',
        'a message of no known kind',
        'not a protocol version 3 array',
      ]);
      // The second answer to "twice" and the answer with a string id are to ids no call waits on.
      expect(protocol.filter((m) => m.includes('unknown id')).length).toBe(2);
    } finally {
      const pid = handle.pid;
      await handle.close();
      await assertNothingLeft(before, pid === undefined ? [] : [pid]);
    }
  });

  it.each([
    [
      'version 3 written as version 2 objects',
      `{ jsonrpc: '2.0', method: 'x/handshake', params: { protocolVersion: 3, versions: [3], plugin: ${SHAPE} } }`,
      'version 2',
    ],
    [
      'version 2 written as version 3 arrays',
      `[1, 'x/handshake', { protocolVersion: 2, versions: [2], plugin: ${SHAPE} }]`,
      'version 3',
    ],
  ])('refuses a handshake of %s (ERR_PLUGIN_HANDSHAKE)', async (_, message, framing) => {
    const error = (await loadServer('mismatched', mismatched(transport, message)).catch(
      (e: unknown) => e,
    )) as PluginError;
    expect(error.code).toBe('ERR_PLUGIN_HANDSHAKE');
    expect(error.message).toContain(`in ${framing}'s framing`);
    await assertNothingLeft(before, []);
  });
});
