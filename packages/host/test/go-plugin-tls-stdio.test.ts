import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { greeter } from '@x/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PluginHandle } from '../src/handle/plugin-handle.js';
import { type LoadOptions, loadPlugin } from '../src/load/load-plugin.js';
import { Project } from './fixtures.js';
import { addGoGreeter, buildGoGreeter, GO_PLUGIN_1_4, whyNoGo } from './go-plugin-fixtures.js';
import { collectingLogger, type LogLine } from './isolation-helpers.js';

const skipped = whyNoGo();
if (skipped) console.warn(`go-plugin 1.4 tests skipped: ${skipped}`);

const MIB = 1024 * 1024;

/** The socket go-plugin logs it listens on (its "plugin address" line, forwarded from stderr). */
const socketOf = (lines: readonly LogLine[]) =>
  lines.find((r) => r.message === 'plugin address')?.fields.address as string;

/** Asks the plugin's health service directly, with the given credentials: SERVING, or why not. */
function healthOf(socket: string, credentials: grpc.ChannelCredentials): Promise<string> {
  const client = new grpc.Client(`unix:${socket}`, credentials, {
    'grpc.ssl_target_name_override': 'localhost',
  });
  return new Promise<string>((resolve) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (value: Buffer) => value,
      (value: Buffer) => value,
      // HealthCheckRequest { service: "plugin" }
      Buffer.from([0x0a, 6, ...Buffer.from('plugin')]),
      { deadline: Date.now() + 3_000 },
      (error, answer) => {
        client.close();
        // HealthCheckResponse { status: SERVING (1) }
        resolve(
          error ? `failed: ${error.details}` : answer?.equals(Buffer.from([8, 1])) ? 'SERVING' : 'other',
        );
      },
    );
  });
}

describe.skipIf(skipped !== undefined)(
  `go-plugin 1.4.10: GRPCStdio and AutoMTLS${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    let project: Project;
    let binary: string;
    const handles: Pick<PluginHandle, 'close'>[] = [];

    beforeAll(() => {
      project = new Project();
      binary = join(project.dir, 'bin', 'go-greeter-1.4');
      buildGoGreeter(binary, GO_PLUGIN_1_4);
    }, 600_000);
    afterAll(async () => {
      await Promise.allSettled(handles.map((h) => h.close()));
      project?.remove();
    });

    async function load(at: string, env: Record<string, string> = {}, options: LoadOptions = {}) {
      const { logger, lines } = collectingLogger();
      const handle = await loadPlugin(addGoGreeter(project, at, binary), {
        contract: greeter,
        logger,
        env,
        ...options,
      });
      handles.push(handle);
      return { handle, lines };
    }

    it('forwards 1 MiB the plugin writes to stdout (over GRPCStdio) line by line, and its calls still answer', async () => {
      const { handle, lines } = await load('stdout', { GO_GREETER_STDOUT_BYTES: String(MIB) });
      const stdout = () => lines.filter((r) => r.fields.stream === 'stdout');
      // Twice: the plugin writes 1 MiB in each call, far more than any pipe or channel holds
      // unread, so the call answers only if the host reads the stream while the call runs.
      for (let i = 1; i <= 2; i++) {
        await expect(handle.call('greet', ['World'], { timeout: 20_000 })).resolves.toBe(
          'Hello, World! Nice to meet you.',
        );
        await vi.waitFor(
          () => expect(stdout().filter((r) => r.message === `go-greeter wrote ${MIB} bytes`)).toHaveLength(i),
          { timeout: 10_000 },
        );
      }
      const xs = stdout().filter((r) => r.message === 'x'.repeat(1023));
      expect(xs.length).toBe(2 * (MIB / 1024));
      expect(xs[0]).toMatchObject({ level: 'info', fields: { plugin: 'go-greeter', stream: 'stdout' } });
      await expect(handle.plugin.lang()).resolves.toBe('English');
      await handle.close();
    }, 60_000);

    it('speaks mutual TLS by default: the plugin turns AutoMTLS on, and its socket refuses plain gRPC and other certificates', async () => {
      const { handle, lines } = await load('tls');
      await expect(handle.plugin.greet('TLS')).resolves.toBe('Hello, TLS! Nice to meet you.');
      expect(lines).toContainEqual(
        expect.objectContaining({ message: 'configuring server automatic mTLS', fields: expect.anything() }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 'debug', message: 'connected over mutual TLS (AutoMTLS)' }),
      );
      const socket = socketOf(lines);
      expect(await healthOf(socket, grpc.credentials.createInsecure())).toMatch(/^failed/);
      // TLS, but with no client certificate the plugin trusts: refused as well.
      const stranger = grpc.credentials.createSsl(null, null, null, { checkServerIdentity: () => undefined });
      expect(await healthOf(socket, stranger)).toMatch(/^failed/);
      await expect(handle.health!()).resolves.toMatchObject({ ok: true, status: 'SERVING' });
      await handle.close();
    });

    it('speaks plain gRPC with autoMTLS: false, and offers the plugin no certificate', async () => {
      const { handle, lines } = await load('plain', { GO_GREETER_LOG_ENV: '1' }, { autoMTLS: false });
      await expect(handle.plugin.greet('plain')).resolves.toBe('Hello, plain! Nice to meet you.');
      expect(lines.some((r) => r.message === 'configuring server automatic mTLS')).toBe(false);
      const names = String(lines.find((r) => r.message === 'go-greeter environment')?.fields.names);
      expect(names.split(',')).not.toContain('PLUGIN_CLIENT_CERT');
      expect(await healthOf(socketOf(lines), grpc.credentials.createInsecure())).toBe('SERVING');
      await handle.close();
    });

    it('restarts after a crash with a new certificate, still over mutual TLS', async () => {
      const crashes: string[] = [];
      const { handle, lines } = await load('restart', {}, { onCrash: (error) => crashes.push(error.code) });
      await expect(handle.plugin.lang()).resolves.toBe('English');
      const pid = handle.pid!;
      process.kill(pid, 'SIGKILL');
      await vi.waitFor(() => expect(crashes).toEqual(['ERR_PLUGIN_CRASHED']));
      await expect(handle.plugin.lang()).resolves.toBe('English');
      expect(handle.pid).not.toBe(pid);
      expect(handle.restarts).toBe(1);
      expect(lines.filter((r) => r.message === 'connected over mutual TLS (AutoMTLS)')).toHaveLength(2);
      await handle.close();
    });
  },
);
