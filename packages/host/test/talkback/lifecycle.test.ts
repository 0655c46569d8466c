import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineContract, greeter, t } from '@x/contract';
import { describe, expect, it } from 'vitest';
import { type Isolation, loadPlugin, type PluginHandle } from '../../src/index.js';
import { collectingLogger, MODES, rejection } from '../isolation-helpers.js';
import { useTalkbackProject } from './talkback-fixture.js';

const ALL: Isolation[] = ['in-process', ...MODES];
const PY_DIR = fileURLToPath(new URL('../../../../examples/python-greeter', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;
const EVIL = fileURLToPath(new URL('../faults/evil-server.cjs', import.meta.url));

// A greeter whose dispose hook never settles, and one whose factory throws.
const STUCK = `import { definePlugin } from '@x/sdk';
import { defineContract, greeter, t } from '@x/contract';
export const plugin = definePlugin(greeter, (ctx) => {
  ctx.onDispose(() => new Promise(() => {}));
  return { greet: (n) => 'Hi ' + n + ' ' + ctx.config.mark, lang: () => 'stuck' };
});
`;
const BROKEN = `import { definePlugin } from '@x/sdk';
import { defineContract, greeter, t } from '@x/contract';
export const plugin = definePlugin(greeter, (ctx) => {
  if (ctx.config?.ok !== true) throw new RangeError('config.ok must be true');
  return { greet: (n) => n, lang: () => 'broken' };
});
`;

const env = useTalkbackProject((project) => {
  project.link('@x/contract');
  project.link('@x/sdk');
  project.addPlugin('stuck', { files: { 'index.js': STUCK } });
  project.addPlugin('broken', { files: { 'index.js': BROKEN } });
});

describe.each(ALL)('lifecycle, %s', (isolation) => {
  it('close() waits for a stuck dispose hook only disposeTimeout ms, then ends the plugin and says so', async () => {
    const { logger, lines } = collectingLogger();
    const handle = await loadPlugin('stuck', {
      cwd: env.project.dir,
      isolation,
      config: { mark: '!' },
      disposeTimeout: 200,
      logger,
    });
    env.handles.push(handle);
    expect(await handle.plugin.greet!('Ada')).toBe('Hi Ada !');
    const started = Date.now();
    await handle.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines.some((l) => l.message.includes('did not finish within 200 ms'))).toBe(true);
    expect((await rejection(handle.plugin.greet!('again'))).code).toBe('ERR_PLUGIN_CLOSED');
  });

  it('a factory that throws fails the load with ERR_PLUGIN_LOAD and its reason; a good config loads', async () => {
    const bad = await rejection(
      loadPlugin('broken', { cwd: env.project.dir, isolation, config: { ok: false } }),
    );
    expect(bad.code).toBe('ERR_PLUGIN_LOAD');
    expect(bad.message).toContain('config.ok must be true');
    const good = await loadPlugin('broken', { cwd: env.project.dir, isolation, config: { ok: true } });
    env.handles.push(good);
    expect(await good.plugin.lang!()).toBe('broken');
  });
});

describe("a hand-written plugin that does not accept talkback (the fault suite's evil server)", () => {
  it('is not sent x/init without config, and refuses config it cannot take', async () => {
    env.project.addPlugin('plain');
    const options = { cwd: env.project.dir, isolation: 'process' as const, server: EVIL };
    const handle = await loadPlugin('plain', options);
    env.handles.push(handle);
    expect(await handle.plugin.lang!()).toBe('evil');
    await handle.close(); // no x/dispose either: it would never answer one
    const refused = await rejection(loadPlugin('plain', { ...options, config: { a: 1 } }));
    expect(refused.code).toBe('ERR_PLUGIN_LOAD');
    expect(refused.message).toContain('cannot take the config');
  });
});

describe.skipIf(!hasPython)('examples/python-greeter talks back', () => {
  it('takes its config from x/init and calls a host function (x/host) inside a call', async () => {
    const withHost = defineContract({
      ...greeter,
      host: { decorate: { params: [{ name: 'name', type: 'string' }], returns: 'string' } },
      config: t.object({ askHost: t.boolean() }),
    });
    const seen: string[] = [];
    const handle = await loadPlugin(PY_DIR, {
      contract: withHost,
      contracts: { greeter: withHost },
      config: { askHost: true },
      host: {
        decorate: (name: string) => {
          seen.push(name);
          return `${name} (vu par l'hôte)`;
        },
      },
    });
    env.handles.push(handle as unknown as PluginHandle);
    expect(await handle.plugin.greet('Ada')).toBe("Bonjour, Ada (vu par l'hôte)! Enchanté.");
    expect(seen).toEqual(['Ada']);
  });
});
