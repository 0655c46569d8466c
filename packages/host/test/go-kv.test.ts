import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineContract, t } from '@x/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kv } from '../../../examples/kv-contract/index.js';
import type { PluginHandle } from '../src/handle/plugin-handle.js';
import { type LoadOptions, loadPlugin } from '../src/load/load-plugin.js';
import { Project } from './fixtures.js';
import { addKvPlugin, buildGoKv, GO_KV_DIR } from './go-kv-fixtures.js';
import { whyNoGo } from './go-plugin-fixtures.js';
import { collectingLogger, isAlive, rejection } from './isolation-helpers.js';

const skipped = whyNoGo();
if (skipped) console.warn(`go-plugin KV tests skipped: ${skipped}`);

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe.skipIf(skipped !== undefined)(
  `go-plugin's examples/grpc KV plugin in Go, unchanged${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    let project: Project;
    let binary: string;
    const handles: Pick<PluginHandle, 'close'>[] = [];

    beforeAll(() => {
      project = new Project();
      binary = join(project.dir, 'bin', 'go-kv');
      buildGoKv(binary);
    }, 600_000);
    afterAll(async () => {
      await Promise.allSettled(handles.map((h) => h.close()));
      project?.remove();
    });

    const add = (at: string, xPlugin: object = {}) =>
      addKvPlugin(project, GO_KV_DIR, at, { command: [binary], ...xPlugin });

    async function load<C extends typeof kv>(at: string, options: LoadOptions<C> = {}) {
      const { logger, lines } = collectingLogger();
      const handle = await loadPlugin<C>(add(at), { logger, ...options });
      handles.push(handle);
      return { handle, lines };
    }

    it('puts and gets bytes through the typed kv handle, from its manifest alone', async () => {
      const { handle } = await load('plain', { contract: kv });
      expect(handle.manifest).toMatchObject({ proto: 'proto/kv.proto', service: 'proto.KV' });
      const value = new Uint8Array([0x68, 0x69, 0x00, 0xff]);
      await expect(handle.plugin.put('greeting', value)).resolves.toBeUndefined();
      // The plugin writes kv_<key> in its working folder, the package's, as upstream does.
      const file = join(project.dir, 'plain', 'kv_greeting');
      expect(readFileSync(file)).toEqual(
        Buffer.concat([Buffer.from(value), Buffer.from('\n\nWritten from plugin-go-grpc')]),
      );
      const got = await handle.plugin.get('greeting');
      expect(got).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(got)).toBe(false);
      expect(text(got)).toBe(`hi\u0000\ufffd\n\nWritten from plugin-go-grpc`);
      // The plugin's own error (no such key) is the plugin's: ERR_PLUGIN_CALL with its gRPC status.
      const missing = await rejection(handle.plugin.get('nope'));
      expect(missing.code).toBe('ERR_PLUGIN_CALL');
      expect(missing.message).toMatch(/kv_nope: no such file or directory/);
      const pid = handle.pid!;
      await handle.close();
      expect(isAlive(pid)).toBe(false);
    });

    it('loads with no contract option: the host finds kv-contract from xPlugin.contract', async () => {
      const { handle } = await load('untyped');
      expect(handle.contract.name).toBe('kv');
      await handle.call('put', ['k', new Uint8Array([1, 2, 3])]);
      await expect(handle.call('get', ['k'])).resolves.toEqual(
        new Uint8Array([1, 2, 3, ...Buffer.from('\n\nWritten from plugin-go-grpc')]),
      );
    });

    it('refuses a string for the bytes value, blaming the caller, and sends nothing', async () => {
      // t.unknown() lets the string past the contract's own check, to the proto encoding. The
      // manifest names the bare "kv", the contract the host passes (not the package's own).
      const loose = defineContract({
        name: 'kv',
        methods: {
          get: { params: [{ name: 'key', type: 'string' }], returns: t.bytes() },
          put: {
            params: [
              { name: 'key', type: 'string' },
              { name: 'value', type: t.unknown() },
            ],
            returns: 'void',
          },
        },
      });
      const { logger } = collectingLogger();
      const handle = await loadPlugin(add('loose', { contract: 'kv' }), { contract: loose, logger });
      handles.push(handle);
      const error = await rejection(handle.plugin.put('b64', 'aGVsbG8='));
      expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
      expect(error.details).toMatchObject({ side: 'host', method: 'put', rpc: 'Put', path: 'value' });
      expect(existsSync(join(project.dir, 'loose', 'kv_b64'))).toBe(false);
      // The typed contract refuses it one step earlier, in the call pipeline, as the caller's too.
      const typed = await load('typed', { contract: kv });
      const early = await rejection(typed.handle.call('put', ['b64', 'aGVsbG8=']));
      expect(early.code).toBe('ERR_PLUGIN_CONTRACT');
      expect(early.message).toMatch(/was called with the wrong arguments/);
    });

    it('refuses at load, before starting anything, a contract the service does not fit', async () => {
      const wrong = defineContract({
        name: 'kv',
        methods: { get: { params: [{ name: 'key', type: 'string' }], returns: 'string' } },
      });
      const { logger, lines } = collectingLogger();
      const error = await rejection(
        loadPlugin(add('wrong', { contract: 'kv' }), { contract: wrong, logger }),
      );
      expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
      expect(error.message).toMatch(/gRPC service proto\.KV does not fit the "kv" contract at get\(\)/);
      expect(error.details).toMatchObject({
        method: 'get',
        rpc: 'Get',
        protoType: 'bytes',
        schemaType: 'string',
      });
      // The plugin logs through hclog once it runs: nothing at all means it never started.
      expect(lines).toEqual([]);
      const service = await rejection(loadPlugin(add('no-service', { service: 'proto.Store' }), { logger }));
      expect(service.code).toBe('ERR_PLUGIN_MANIFEST');
      expect(service.message).toMatch(/defines the service\(s\) proto\.KV/);
    });
  },
);
