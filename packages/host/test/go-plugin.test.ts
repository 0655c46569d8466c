import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeter } from '@x/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPlugin } from '../src/load/load-plugin.js';
import type { PluginHandle } from '../src/plugin-handle.js';
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

    async function load(at: string, xPlugin: object = {}, env: Record<string, string> = {}) {
      const { logger, lines } = collectingLogger();
      const dir = addGoGreeter(project, at, binary, xPlugin);
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        const handle = await loadPlugin(dir, { contract: greeter, logger });
        handles.push(handle);
        return { handle, lines };
      } finally {
        for (const key of Object.keys(env)) {
          if (saved[key] === undefined) delete process.env[key];
          else process.env[key] = saved[key];
        }
      }
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

    it('fails a call past its deadline with ERR_PLUGIN_TIMEOUT, and an aborted one too', async () => {
      const { handle } = await load('slow', {}, { GO_GREETER_DELAY: '60s' });
      expect(await codeOf(handle.call('greet', ['World'], { timeout: 200 }))).toBe('ERR_PLUGIN_TIMEOUT');
      const abort = new AbortController();
      const pending = handle.call('greet', ['World'], { signal: abort.signal });
      abort.abort();
      expect(await codeOf(pending)).toBe('ERR_PLUGIN_TIMEOUT');
      await expect(handle.plugin.lang()).resolves.toBe('English');
      await handle.close();
    });

    it('fails a pending and the next call with ERR_PLUGIN_CRASHED when the Go process is killed', async () => {
      const { handle, lines } = await load('crashing', {}, { GO_GREETER_DELAY: '60s' });
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
