import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeter } from '@x/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PluginHandle } from '../src/handle/plugin-handle.js';
import { type LoadOptions, loadPlugin } from '../src/load/load-plugin.js';
import { Project } from './fixtures.js';
import {
  addGoGreeter,
  buildGoGreeter,
  GO_GREETER_DIR,
  generateGreeterPb,
  whyNoGo,
} from './go-plugin-fixtures.js';
import { collectingLogger, isAlive, type LogLine, rejection } from './isolation-helpers.js';

const skipped = whyNoGo();
if (skipped) console.warn(`go-plugin interop tests skipped: ${skipped}`);

const codeOf = async (promise: Promise<unknown>): Promise<string> => (await rejection(promise)).code;

/** The pid and socket the plugin itself logs (hclog lines its stderr carries to the logger). */
function processFacts(lines: readonly LogLine[]) {
  const pid = lines.find((r) => r.message === 'go-greeter starting')?.fields.pid as number;
  const socket = lines.find((r) => r.message === 'plugin address')?.fields.address as string;
  return { pid, socket };
}

describe.skipIf(skipped !== undefined)(
  `go-plugin interop: a Go greeter built with hashicorp/go-plugin${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    // Made in beforeAll, not here: a skipped describe still runs its body, and must leave no temp dir.
    let project: Project;
    let binary: string;
    const handles: Pick<PluginHandle, 'close'>[] = [];

    beforeAll(() => {
      project = new Project();
      binary = join(project.dir, 'bin', 'go-greeter');
      buildGoGreeter(binary);
    }, 600_000);
    afterAll(async () => {
      await Promise.allSettled(handles.map((h) => h.close()));
      project?.remove();
    });

    // The plugin sees only the env passed here (plus go-plugin's handshake variables).
    async function load(
      at: string,
      xPlugin: object = {},
      env: Record<string, string> = {},
      options: LoadOptions = {},
    ) {
      const { logger, lines } = collectingLogger();
      const dir = addGoGreeter(project, at, binary, xPlugin);
      const handle = await loadPlugin(dir, { contract: greeter, logger, env, ...options });
      handles.push(handle);
      return { handle, lines };
    }

    it('calls greet and lang through the typed Greeter, forwards its logs, and close() leaves nothing', async () => {
      const { handle, lines } = await load('plain');
      expect(handle.isolation).toBe('process');
      expect(handle.manifest.protocol).toBe('go-plugin');
      await expect(handle.plugin.greet('World')).resolves.toBe('Hello, World! Nice to meet you.');
      await expect(handle.plugin.lang()).resolves.toBe('English');
      await vi.waitFor(() =>
        expect(lines).toContainEqual({
          level: 'info',
          message: 'greeting',
          fields: expect.objectContaining({ plugin: 'go-greeter', name: 'World', stream: 'stderr' }),
        }),
      );
      const { pid, socket } = processFacts(lines);
      expect(isAlive(pid)).toBe(true);
      expect(existsSync(socket)).toBe(true);

      await handle.close();
      expect(handle.closed).toBe(true);
      expect(isAlive(pid)).toBe(false);
      expect(existsSync(socket)).toBe(false);
      expect(await codeOf(handle.plugin.lang())).toBe('ERR_PLUGIN_CLOSED');
      await handle.close();
    });

    it('fails a call past its deadline with ERR_PLUGIN_TIMEOUT, and an aborted one with ERR_PLUGIN_ABORTED', async () => {
      const { handle } = await load('slow', {}, { GO_GREETER_DELAY: '60s' });
      expect(await codeOf(handle.call('greet', ['World'], { timeout: 200 }))).toBe('ERR_PLUGIN_TIMEOUT');
      const abort = new AbortController();
      const pending = handle.call('greet', ['World'], { signal: abort.signal });
      abort.abort();
      expect(await codeOf(pending)).toBe('ERR_PLUGIN_ABORTED');
      await expect(handle.plugin.lang()).resolves.toBe('English');
      await handle.close();
    });

    it('fails a pending and the next call with ERR_PLUGIN_CRASHED when the Go process is killed (restart: false)', async () => {
      const { handle, lines } = await load('crashing', {}, { GO_GREETER_DELAY: '60s' }, { restart: false });
      const { pid, socket } = processFacts(lines);
      const pending = handle.plugin.greet('World');
      await vi.waitFor(() => expect(lines.some((r) => r.message === 'greeting')).toBe(true));
      process.kill(pid, 'SIGKILL');
      expect(await codeOf(pending)).toBe('ERR_PLUGIN_CRASHED');
      expect(await codeOf(handle.plugin.lang())).toBe('ERR_PLUGIN_CRASHED');
      expect(isAlive(pid)).toBe(false);
      await handle.close();
      // SIGKILL left go-plugin no chance to remove its socket: close() does.
      expect(existsSync(socket)).toBe(false);
    });

    it('passes the plugin only the env the host gives it, plus the handshake variables', async () => {
      process.env.X_HOST_SECRET_FOR_TEST = 'do-not-leak';
      try {
        const { handle, lines } = await load('env', {}, { GO_GREETER_LOG_ENV: '1', GIVEN: 'yes' });
        await vi.waitFor(() => expect(lines.some((r) => r.message === 'go-greeter environment')).toBe(true));
        const names = String(lines.find((r) => r.message === 'go-greeter environment')!.fields.names).split(
          ',',
        );
        expect(names.sort()).toEqual(
          [
            'GIVEN',
            'GO_GREETER_LOG_ENV',
            // AutoMTLS: the host's one-time certificate (go-plugin-tls.test.ts).
            'PLUGIN_CLIENT_CERT',
            'PLUGIN_MAX_PORT',
            'PLUGIN_MIN_PORT',
            'PLUGIN_PROTOCOL_VERSIONS',
            'TMPDIR',
            'X_PLUGIN_MAGIC_COOKIE',
            // The run tag every plugin process carries, for the reaper (docs/reliability.md).
            'X_PLUGIN_RUN',
          ].sort(),
        );
        await handle.close();
      } finally {
        delete process.env.X_HOST_SECRET_FOR_TEST;
      }
    });

    it('applies callTimeout, answers health() with its pid, and restarts after a crash', async () => {
      const { handle, lines } = await load(
        'supervised',
        {},
        { GO_GREETER_DELAY: '60s' },
        { callTimeout: 300 },
      );
      expect(await codeOf(handle.plugin.greet('World'))).toBe('ERR_PLUGIN_TIMEOUT');
      await expect(handle.health!()).resolves.toMatchObject({ ok: true, status: 'SERVING' });
      const { pid } = processFacts(lines);
      expect(handle.pid).toBe(pid);
      expect(handle.state).toBe('running');
      const pending = handle.plugin.greet('World');
      process.kill(pid, 'SIGKILL');
      expect(await codeOf(pending)).toBe('ERR_PLUGIN_CRASHED');
      // The next call waits for the restart and is answered by a new process.
      await expect(handle.plugin.lang()).resolves.toBe('English');
      expect(handle.restarts).toBe(1);
      expect(handle.pid).not.toBe(pid);
      expect(isAlive(pid)).toBe(false);
      expect(handle.stats()).toMatchObject({
        restarts: 1,
        errorsByCode: { ERR_PLUGIN_TIMEOUT: 1, ERR_PLUGIN_CRASHED: 1 },
      });
      const restarted = handle.pid!;
      await handle.close();
      expect(isAlive(restarted)).toBe(false);
    });

    it('refuses options a go-plugin binary cannot honour, naming them', async () => {
      for (const [options, option] of [
        [{ execArgv: ['--no-warnings'] }, 'execArgv'],
        [{ maxHeapMb: 64 }, 'maxHeapMb'],
        [{ permissions: 'none' }, 'permissions'],
        [{ server: './serve.js' }, 'server'],
        [{ maxQueuedBytes: 1024 }, 'maxQueuedBytes'],
        [{ config: { quality: 1 } }, 'config'],
        // Host functions need xPlugin.broker (go-plugin-broker.test.ts), which the greeter has not.
        [{ host: { log: () => {} } }, 'host'],
        [{ disposeTimeout: 100 }, 'disposeTimeout'],
      ] as const) {
        const error = await rejection(load(`refuse-${option}`, {}, {}, options as LoadOptions));
        expect(error).toMatchObject({ code: 'ERR_PLUGIN_LOAD', details: { option } });
      }
    });

    it('refuses a plugin whose app protocol version differs, naming both versions', async () => {
      const error = await rejection(
        loadPlugin(addGoGreeter(project, 'v2', binary, { handshake: { protocolVersion: 2 } }), {
          contract: greeter,
          logger: collectingLogger().logger,
        }),
      );
      expect(error).toMatchObject({ code: 'ERR_PLUGIN_HANDSHAKE' });
      expect(error.why).toMatch(/chose app protocol version 1; the host offered 2/);
    });

    it('keeps the committed Go code of greeter.proto in step with @x/contract (when protoc is here)', (ctx) => {
      const generated = generateGreeterPb(project.dir);
      if (generated === undefined) ctx.skip('protoc or protoc-gen-go is not installed');
      expect(generated).toBe(readFileSync(join(GO_GREETER_DIR, 'greeterpb', 'greeter.pb.go'), 'utf8'));
    });

    it("reports the plugin's own words when the magic cookie does not match", async () => {
      const dir = addGoGreeter(project, 'cookie', binary, { handshake: { magicCookieValue: 'wrong' } });
      const error = await rejection(
        loadPlugin(dir, { contract: greeter, logger: collectingLogger().logger }),
      );
      expect(error).toMatchObject({ code: 'ERR_PLUGIN_HANDSHAKE' });
      expect(error.why).toMatch(/This binary is a plugin/);
    });
  },
);
