import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PluginHandle } from '../src/handle/plugin-handle.js';
import { type LoadOptions, loadPlugin } from '../src/load/load-plugin.js';
import { Project } from './fixtures.js';
import { GO_PLUGIN_1_4, whyNoGo } from './go-plugin-fixtures.js';
import { collectingLogger, rejection } from './isolation-helpers.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const GO_COUNTER_DIR = join(EXAMPLES, 'go-counter');

const skipped = whyNoGo();
if (skipped) console.warn(`go-plugin GRPCBroker tests skipped: ${skipped}`);

/** go-plugin's examples/bidirectional plugin, built by examples/go-counter's own script. */
function buildGoCounter(out: string, goPlugin?: string): void {
  execFileSync('sh', [join(GO_COUNTER_DIR, 'build.sh'), out], {
    stdio: 'inherit',
    timeout: 600_000,
    env: goPlugin === undefined ? process.env : { ...process.env, GO_PLUGIN_SRC: goPlugin },
  });
}

/** Writes examples/go-counter into the project at `at`: its manifest (overridden by `xPlugin`), its .proto, the contract. */
function addGoCounter(project: Project, at: string, binary: string, xPlugin: object = {}): string {
  const pkg = JSON.parse(readFileSync(join(GO_COUNTER_DIR, 'package.json'), 'utf8')) as {
    xPlugin: Record<string, unknown>;
  };
  project.write(
    join(at, 'package.json'),
    JSON.stringify({ ...pkg, xPlugin: { ...pkg.xPlugin, command: [binary], ...xPlugin } }, null, 2),
  );
  const proto = join(project.dir, at, 'proto/kv.proto');
  mkdirSync(dirname(proto), { recursive: true });
  copyFileSync(join(GO_COUNTER_DIR, 'proto/kv.proto'), proto);
  return join(project.dir, at);
}

// The load-time checks run before any binary starts: no Go needed.
describe('go-plugin GRPCBroker: the host service is checked at load', () => {
  const project = new Project();
  project.link('counter-contract', join(EXAMPLES, 'counter-contract'));
  project.link('@x/contract');
  afterAll(() => project.remove());
  const host = { sum: (a: bigint, b: bigint) => a + b };

  it('ERR_PLUGIN_MANIFEST when xPlugin.broker names a service the .proto does not define', async () => {
    const dir = addGoCounter(project, 'no-service', './bin/none', {
      broker: { service: 'proto.Nope', idField: 'add_server' },
    });
    const error = await rejection(loadPlugin(dir, { host, logger: collectingLogger().logger }));
    expect(error).toMatchObject({ code: 'ERR_PLUGIN_MANIFEST' });
    expect(error.why).toMatch(/proto\.Counter, proto\.AddHelper/);
  });

  it('ERR_PLUGIN_CONTRACT when the id field is not a uint32, or no request has it', async () => {
    const key = addGoCounter(project, 'key-id', './bin/none', {
      broker: { service: 'proto.AddHelper', idField: 'key' },
    });
    const error = await rejection(loadPlugin(key, { host, logger: collectingLogger().logger }));
    expect(error).toMatchObject({ code: 'ERR_PLUGIN_CONTRACT' });
    expect(error.why).toMatch(/proto\.GetRequest\.key .* is string; go-plugin's broker ids are uint32/);
    const none = addGoCounter(project, 'no-id', './bin/none', {
      broker: { service: 'proto.AddHelper', idField: 'helper' },
    });
    const missing = await rejection(loadPlugin(none, { host, logger: collectingLogger().logger }));
    expect(missing).toMatchObject({ code: 'ERR_PLUGIN_CONTRACT' });
    expect(missing.why).toMatch(/No request of proto\.Counter has a field "helper"/);
  });

  it("ERR_PLUGIN_CONTRACT when the host service's rpcs do not fit the contract's host functions", async () => {
    // proto.Counter as the "host service": it has no rpc Sum.
    const dir = addGoCounter(project, 'wrong-service', './bin/none', {
      broker: { service: 'proto.Counter', idField: 'add_server' },
    });
    const error = await rejection(loadPlugin(dir, { host, logger: collectingLogger().logger }));
    expect(error).toMatchObject({ code: 'ERR_PLUGIN_CONTRACT' });
    expect(error.why).toMatch(/It has no rpc Sum \(its rpcs: Get, Put\)/);
  });
});

describe.skipIf(skipped !== undefined)(
  `go-plugin GRPCBroker: examples/bidirectional calls the host's sum()${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    let project: Project;
    let binary: string;
    let binary14: string;
    const handles: Pick<PluginHandle, 'close'>[] = [];

    beforeAll(() => {
      project = new Project();
      project.link('counter-contract', join(EXAMPLES, 'counter-contract'));
      project.link('@x/contract');
      binary = join(project.dir, 'bin', 'go-counter');
      binary14 = join(project.dir, 'bin', 'go-counter-1.4');
      buildGoCounter(binary);
      buildGoCounter(binary14, GO_PLUGIN_1_4);
    }, 600_000);
    afterAll(async () => {
      await Promise.allSettled(handles.map((h) => h.close()));
      project?.remove();
    });

    async function load(at: string, options: LoadOptions = {}, bin = binary) {
      const { logger, lines } = collectingLogger();
      const handle = await loadPlugin(addGoCounter(project, at, bin), { logger, ...options });
      handles.push(handle);
      return { handle, lines };
    }

    it("put adds through the host's sum() on a brokered connection over mutual TLS (go-plugin 1.4.10)", async () => {
      const calls: [bigint, bigint][] = [];
      const sum = (a: bigint, b: bigint) => {
        calls.push([a, b]);
        return a + b;
      };
      const { handle, lines } = await load('counter-1.4', { host: { sum } }, binary14);
      await handle.call('put', ['hello', 1n]);
      await handle.call('put', ['hello', 41n]);
      await expect(handle.call('get', ['hello'])).resolves.toBe(42n);
      expect(calls).toEqual([
        [0n, 1n],
        [1n, 41n],
      ]);
      // int64 both ways, past 2^53.
      await handle.call('put', ['big', 2n ** 62n]);
      await expect(handle.call('get', ['big'])).resolves.toBe(2n ** 62n);
      expect(lines).toContainEqual(
        expect.objectContaining({ message: 'connected over mutual TLS (AutoMTLS)' }),
      );
      await handle.close();
    });

    it('go-plugin 1.0.1 (Debian): host functions over plain gRPC, and a coded reason when over AutoMTLS', async () => {
      const sum = (a: bigint, b: bigint) => a + b;
      const { handle } = await load('counter-1.0', { host: { sum }, autoMTLS: false });
      await handle.call('put', ['hello', 1n]);
      await handle.call('put', ['hello', 1n]);
      await expect(handle.call('get', ['hello'])).resolves.toBe(2n);
      await handle.close();
      // go-plugin < 1.4.5 gives its broker no CA for the host's certificate: no host can do this.
      const { handle: tls } = await load('counter-1.0-tls', { host: { sum } });
      const error = await rejection(tls.call('put', ['hello', 1n]));
      expect(error).toMatchObject({ code: 'ERR_PLUGIN_CALL', details: { reason: 'broker-tls' } });
      expect(error.fix).toMatch(/go-plugin 1\.4\.5 or later, or load it with autoMTLS: false/);
      await tls.close();
    });

    it('reaches the plugin with the host function’s error as a gRPC error, which the plugin returns', async () => {
      const { handle } = await load(
        'throws',
        {
          host: {
            sum: () => {
              throw new Error('no adding today');
            },
          },
        },
        binary14,
      );
      const error = await rejection(handle.call('put', ['k', 1n]));
      expect(error).toMatchObject({ code: 'ERR_PLUGIN_CALL' });
      // examples/bidirectional returns Sum's error as Put's: gRPC's UNKNOWN, with its message.
      expect(error.why).toMatch(/status 2: no adding today/);
      // Still usable afterwards.
      await expect(handle.call('put', ['k', 2n], {})).rejects.toMatchObject({ code: 'ERR_PLUGIN_CALL' });
      await handle.close();
    });

    it('answers UNIMPLEMENTED to the plugin when the host did not implement the function, blaming the host', async () => {
      const { handle } = await load('unimplemented', {}, binary14);
      const error = await rejection(handle.call('put', ['k', 1n]));
      expect(error).toMatchObject({ code: 'ERR_PLUGIN_HOST_FUNCTION', details: { function: 'sum' } });
      expect(error.what).toMatch(/which the host did not implement/);
      await handle.close();
    });

    it("fails the call, blaming the host, when the host cannot open the brokered connection's socket", async () => {
      const { handle } = await load(
        'no-socket',
        { host: { sum: (a: bigint, b: bigint) => a + b } },
        binary14,
      );
      const saved = process.env.TMPDIR;
      // os.tmpdir() follows TMPDIR: the broker's socket folder cannot be made there.
      process.env.TMPDIR = join(project.dir, 'no-such-dir');
      try {
        const error = await rejection(handle.call('put', ['k', 1n]));
        expect(error).toMatchObject({ code: 'ERR_PLUGIN_CALL', details: { reason: 'broker' } });
        expect(error.what).toMatch(/The host could not serve its functions/);
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
      // The plugin itself is fine: the next call gets its connection.
      await handle.call('put', ['k', 1n]);
      await expect(handle.call('get', ['k'])).resolves.toBe(1n);
      await handle.close();
    });

    it('cancels the host function with the outer call (its signal fires), and plain gRPC works too', async () => {
      let signal: AbortSignal | undefined;
      const { handle } = await load('cancel', {
        autoMTLS: false,
        host: {
          sum: (_a: bigint, _b: bigint, opts?: { signal: AbortSignal }) => {
            signal = opts?.signal;
            return new Promise<bigint>(() => {});
          },
        },
      });
      const error = await rejection(handle.call('put', ['slow', 1n], { timeout: 500 }));
      expect(error.code).toBe('ERR_PLUGIN_TIMEOUT');
      await vi.waitFor(() => expect(signal?.aborted).toBe(true));
      await handle.close();
    });
  },
);
