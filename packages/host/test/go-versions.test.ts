import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineContract, greeter, t } from '@x/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kv } from '../../../examples/kv-contract/index.js';
import type { PluginHandle } from '../src/handle/plugin-handle.js';
import { type LoadOptions, loadPlugin } from '../src/load/load-plugin.js';
import { Project } from './fixtures.js';
import { addKvPlugin, GO_KV_DIR } from './go-kv-fixtures.js';
import { whyNoGo } from './go-plugin-fixtures.js';
import { collectingLogger, isAlive, rejection, waitFor } from './isolation-helpers.js';

const skipped = whyNoGo();
if (skipped) console.warn(`go-plugin versions and reattach tests skipped: ${skipped}`);

const GREETER_PROTO = fileURLToPath(new URL('../../contract/proto/greeter.proto', import.meta.url));
const COUNT_PROTO = fileURLToPath(new URL('./go-versioned/countpb/count.proto', import.meta.url));
const BUILD = fileURLToPath(new URL('./go-versioned/build.sh', import.meta.url));
const bytes = (s: string) => new Uint8Array(Buffer.from(s));

/** Version 1: x's greeter service from the package's own copy of greeter.proto. */
const V1 = { contract: greeter, proto: 'proto/greeter.proto', service: 'x.greeter.v1.Greeter' };

/** Version 3: a server-streaming rpc, int64 and bytes through a real Go server. */
const tick = t.object({ n: t.bigint(), tag: t.bytes() });
const countParams = [
  { name: 'from', type: t.bigint() },
  { name: 'times', type: t.integer() },
  { name: 'tag', type: t.bytes() },
] as const;
const counter = defineContract({
  name: 'counter',
  methods: {
    count: { params: [...countParams], returns: t.stream(tick) },
    last: { params: [...countParams], returns: tick },
  },
});
const V3 = { contract: counter, proto: 'proto/count.proto', service: 'count.v1.Counter' };

describe.skipIf(skipped !== undefined)(
  `go-plugin VersionedPlugins and ReattachConfig${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    let project: Project;
    let binary: string;
    const handles: Pick<PluginHandle, 'close'>[] = [];
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      project = new Project();
      binary = join(project.dir, 'bin', 'go-versioned');
      const { execFileSync } = await import('node:child_process');
      execFileSync('sh', [BUILD, binary], { stdio: 'inherit', timeout: 600_000 });
    }, 600_000);
    afterAll(async () => {
      await Promise.allSettled(handles.map((h) => h.close()));
      for (const child of children) child.kill('SIGKILL');
      project?.remove();
    });

    /** The two-version plugin as a package: go-kv's manifest (version 2's service), and greeter.proto for version 1. */
    function add(at: string, xPlugin: object = {}): string {
      const dir = addKvPlugin(project, GO_KV_DIR, at, { command: [binary], ...xPlugin });
      copyFileSync(GREETER_PROTO, join(dir, 'proto', 'greeter.proto'));
      copyFileSync(COUNT_PROTO, join(dir, 'proto', 'count.proto'));
      return dir;
    }

    async function load(at: string, options: LoadOptions, xPlugin: object = {}) {
      const { logger } = collectingLogger();
      const handle = await loadPlugin(add(at, xPlugin), { logger, ...options });
      handles.push(handle);
      return handle;
    }

    it('offers two versions; the plugin picks 2, and the handle speaks its contract', async () => {
      const handle = await load('both', { versions: { 1: V1, 2: {} } });
      expect(handle.protocolVersion).toBe(2);
      expect(handle.contract.name).toBe('kv');
      await handle.call('put', ['k', bytes('v2')]);
      await expect(handle.call('get', ['k'])).resolves.toEqual(bytes('v2'));
    });

    it('offers only version 1: the same binary serves the greeter', async () => {
      const handle = await load('one', { versions: { 1: V1 } });
      expect(handle.protocolVersion).toBe(1);
      expect(handle.contract).toBe(greeter);
      await expect(handle.call('greet', ['World'])).resolves.toBe('Hello, World (protocol 1)');
      const plain = await load('manifest-only', {});
      // Without versions: the manifest's handshake.protocolVersion (1) alone is offered.
      expect(plain.protocolVersion).toBe(1);
    });

    it('checks every version before starting, and refuses a version the plugin was not offered', async () => {
      const wrong = defineContract({
        name: 'kv',
        methods: { get: { params: [{ name: 'key', type: t.bigint() }], returns: t.bytes() } },
      });
      const error = await rejection(
        loadPlugin(add('wrong'), { versions: { 1: V1, 2: { contract: wrong } } }),
      );
      expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
      expect(error.details).toMatchObject({
        method: 'get',
        field: 'key',
        protoType: 'string',
        schemaType: 'bigint',
      });
      // With no version in common, go-plugin 1.0.1 still answers one of its own; the host refuses it.
      const none = await rejection(loadPlugin(add('none'), { versions: { 4: {} } }));
      expect(none.code).toBe('ERR_PLUGIN_HANDSHAKE');
      expect(none.message).toMatch(/chose app protocol version [123]; the host offered 4 /);
    });

    it('maps a server-streaming rpc to t.stream(T), with int64 as exact bigints both ways', async () => {
      const handle = await load('stream', { versions: { 1: V1, 2: {}, 3: V3 } });
      expect(handle.protocolVersion).toBe(3);
      const tag = new Uint8Array([0, 1, 254, 255]);
      const items: unknown[] = [];
      for await (const item of (await handle.call('count', [2n ** 62n, 3, tag])) as AsyncIterable<unknown>)
        items.push(item);
      expect(items).toEqual([
        { n: 2n ** 62n, tag },
        { n: 2n ** 62n + 1n, tag },
        { n: 2n ** 62n + 2n, tag },
      ]);
      // The largest int64, computed by Go, arrives exactly.
      await expect(handle.call('last', [2n ** 63n - 2n, 2, tag])).resolves.toEqual({
        n: 2n ** 63n - 1n,
        tag,
      });
      // break cancels the rpc; the plugin goes on serving.
      let seen = 0;
      for await (const _ of (await handle.call('count', [0n, 1_000_000, tag])) as AsyncIterable<unknown>) {
        if (++seen === 2) break;
      }
      expect(seen).toBe(2);
      await expect(handle.call('last', [1n, 1, tag])).resolves.toEqual({ n: 1n, tag });
      // Past int64: the caller's, refused before anything is sent.
      const big = await rejection(handle.call('last', [2n ** 63n, 1, tag]));
      expect(big.details).toMatchObject({ side: 'host', path: 'from' });
      // The plugin's error status mid-stream rejects the next item as its error.
      const failing = (await handle.call('count', [0n, -1, tag])) as AsyncIterable<unknown>;
      const thrown = await rejection(
        (async () => {
          for await (const _ of failing);
        })(),
      );
      expect(thrown.code).toBe('ERR_PLUGIN_CALL');
      expect(thrown.message).toMatch(/times must not be negative/);
    });

    it('refuses a stream method for a unary rpc, and the other way round, at load', async () => {
      const unary = defineContract({
        name: 'counter',
        methods: { last: { params: [...countParams], returns: t.stream(tick) } },
      });
      const error = await rejection(
        loadPlugin(add('unary'), { versions: { 3: { ...V3, contract: unary } } }),
      );
      expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
      expect(error.message).toMatch(/a t\.stream\(T\) method maps to a server-streaming rpc/);
      const streaming = defineContract({
        name: 'counter',
        methods: { count: { params: [...countParams], returns: tick } },
      });
      const other = await rejection(
        loadPlugin(add('streaming'), { versions: { 3: { ...V3, contract: streaming } } }),
      );
      expect(other.details).toMatchObject({ method: 'count', protoType: 'stream count.v1.Tick' });
    });

    /** Starts the plugin by hand, as a developer would under a debugger, and reads its handshake line. */
    async function startByHand(): Promise<{ child: ChildProcess; address: string }> {
      const child = spawn(binary, [], {
        env: {
          BASIC_PLUGIN: 'hello',
          PLUGIN_PROTOCOL_VERSIONS: '2',
          PLUGIN_MIN_PORT: '10000',
          PLUGIN_MAX_PORT: '25000',
          TMPDIR: project.dir,
        },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      children.push(child);
      const line = await new Promise<string>((done) => {
        let text = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n')) done(text.split('\n')[0]!);
        });
      });
      return { child, address: line.split('|')[3]! };
    }

    it('reattaches to a running plugin, and close() leaves it running', async () => {
      const { child, address } = await startByHand();
      const reattach = { address, pid: child.pid!, protocolVersion: 2 };
      const handle = await load('attached', { contract: kv, versions: { 2: {} }, reattach });
      expect(handle.pid).toBe(child.pid);
      expect(handle.protocolVersion).toBe(2);
      await handle.call('put', ['dev', bytes('attached')]);
      await handle.close();
      expect(isAlive(child.pid!)).toBe(true);
      // The same process again: its memory still holds the value, so it was never restarted.
      const again = await load('attached-again', { contract: kv, versions: { 2: {} }, reattach });
      await expect(again.call('get', ['dev'])).resolves.toEqual(bytes('attached'));
      await expect(again.health!()).resolves.toMatchObject({ ok: true });
      // Its exit, by whoever started it, is a crash the host does not try to restart.
      child.kill('SIGKILL');
      await waitFor(() => again.state === 'stopped');
      const after = await rejection(again.call('get', ['dev']));
      expect(after.code).toBe('ERR_PLUGIN_CRASHED');
      expect(after.message).toMatch(/reattached to pid \d+\) exited, and the host cannot restart it/);
    });

    it('refuses to reattach to a pid that is gone, or with env', async () => {
      const { child, address } = await startByHand();
      const pid = child.pid!;
      const env = await rejection(
        loadPlugin(add('env'), { versions: { 2: {} }, reattach: { address, pid }, env: { A: 'b' } }),
      );
      expect(env.code).toBe('ERR_PLUGIN_LOAD');
      expect(env.details).toMatchObject({ option: 'env' });
      child.kill('SIGKILL');
      await waitFor(() => !isAlive(pid));
      const gone = await rejection(
        loadPlugin(add('gone'), { versions: { 2: {} }, reattach: { address, pid } }),
      );
      expect(gone.code).toBe('ERR_PLUGIN_LOAD');
      expect(gone.message).toMatch(/no process \d+ is running/);
    });
  },
);

describe('the versions and reattach load options', () => {
  const project = new Project();
  const node = project.addPlugin('node-plugin');
  afterAll(() => project.remove());

  it('refuses malformed values, naming the part at fault', async () => {
    const bad = async (options: LoadOptions) => (await rejection(loadPlugin(node, options))).details;
    expect(await bad({ versions: {} })).toMatchObject({ option: 'versions' });
    expect(await bad({ versions: { 0: {} } })).toMatchObject({ option: 'versions' });
    expect(await bad({ versions: { 1: { proto: '../kv.proto' } } })).toMatchObject({
      option: 'versions.1.proto',
    });
    expect(await bad({ versions: { 1: { service: 'a..b' } } })).toMatchObject({
      option: 'versions.1.service',
    });
    expect(await bad({ versions: { 1: { contract: {} as never } } })).toMatchObject({
      option: 'versions.1.contract',
    });
    expect(await bad({ versions: { 1: { extra: 1 } as never } })).toMatchObject({
      option: 'versions.1.extra',
    });
    expect(await bad({ reattach: { address: 'nowhere', pid: 1 } })).toMatchObject({
      option: 'reattach.address',
    });
    expect(await bad({ reattach: { address: '/tmp/s', pid: 0 } })).toMatchObject({ option: 'reattach.pid' });
    expect(await bad({ reattach: { address: '/tmp/s', pid: 1, network: 'udp' } as never })).toMatchObject({
      option: 'reattach.network',
    });
  });

  it('refuses them for a plugin that is not a go-plugin binary', async () => {
    const versions = await rejection(loadPlugin(node, { versions: { 1: {} } }));
    expect(versions.code).toBe('ERR_PLUGIN_LOAD');
    expect(versions.details).toMatchObject({ option: 'versions' });
    const reattach = await rejection(loadPlugin(node, { reattach: { address: '/tmp/s', pid: 1 } }));
    expect(reattach.details).toMatchObject({ option: 'reattach' });
  });
});
