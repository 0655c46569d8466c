import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kv } from '../../../examples/kv-contract/index.js';
import type { PluginHandle } from '../src/handle/plugin-handle.js';
import { loadPlugin } from '../src/load/load-plugin.js';
import { Project } from './fixtures.js';
import { addKvPlugin, PYTHON_KV_DIR } from './go-kv-fixtures.js';
import { collectingLogger, isAlive, rejection } from './isolation-helpers.js';

// A stand-in for grpcio-health-checking, used only where it cannot be installed (python-health/README.md).
const HEALTH_STAND_IN = fileURLToPath(new URL('./python-health', import.meta.url));

const python = (code: string) => spawnSync('python3', ['-c', code], { encoding: 'utf8' }).status === 0;

/** Why go-plugin's Python example cannot run here, or undefined when it can. */
function whyNoPythonGrpc(): string | undefined {
  if (!python('pass')) return 'python3 is not on the PATH';
  if (!python('import grpc, google.protobuf'))
    return 'grpcio and protobuf are not installed for python3 (pip install grpcio grpcio-health-checking protobuf, as .ci/install-go.sh does)';
  return undefined;
}
const skipped = whyNoPythonGrpc();
if (skipped) console.warn(`go-plugin Python KV tests skipped: ${skipped}`);
const realHealth = skipped === undefined && python('import grpc_health.v1.health');

describe.skipIf(skipped !== undefined)(
  `go-plugin's examples/grpc KV plugin in Python, unchanged${
    skipped
      ? ` (skipped: ${skipped})`
      : realHealth
        ? ''
        : ' (grpc_health: the test stand-in, grpcio-health-checking is not installed)'
  }`,
  () => {
    let project: Project;
    let handle: PluginHandle<typeof kv>;
    const { logger, lines } = collectingLogger();

    beforeAll(async () => {
      project = new Project();
      const dir = addKvPlugin(project, PYTHON_KV_DIR, 'python-kv', {}, [
        'plugin.py',
        'proto/kv_pb2.py',
        'proto/kv_pb2_grpc.py',
      ]);
      // The plugin sees only the env the host passes: PYTHONPATH only when the stand-in is needed.
      const env: Record<string, string> = realHealth ? {} : { PYTHONPATH: HEALTH_STAND_IN };
      handle = await loadPlugin(dir, { contract: kv, logger, env, startTimeout: 30_000 });
    }, 60_000);
    afterAll(async () => {
      await handle?.close();
      project?.remove();
    });

    it('puts and gets bytes through the same typed handle as the Go plugin', async () => {
      expect(handle.protocolVersion).toBe(1);
      await handle.plugin.put('greeting', new Uint8Array(Buffer.from('hello from node')));
      const file = join(project.dir, 'python-kv', 'kv_greeting');
      expect(readFileSync(file, 'utf8')).toBe('hello from node\n\nWritten from plugin-python');
      const got = await handle.plugin.get('greeting');
      expect(got).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(got).toString()).toBe('hello from node\n\nWritten from plugin-python');
    });

    it("reports the plugin's own exception as its error, and health() through its health service", async () => {
      const missing = await rejection(handle.plugin.get('nope'));
      expect(missing.code).toBe('ERR_PLUGIN_CALL');
      expect(missing.message).toMatch(/FileNotFoundError|No such file/);
      await expect(handle.health!()).resolves.toMatchObject({ ok: true });
      const pid = handle.pid!;
      await handle.close();
      expect(isAlive(pid)).toBe(false);
      expect(lines.filter((l) => l.level === 'error' && /exited/.test(l.message))).toEqual([]);
    });
  },
);
