import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { greeter } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Isolation, loadPlugin, type PluginHandle } from '../../src/index.js';
import { Project } from '../fixtures.js';
import { collectingLogger, MODES, rejection, warmUp } from '../isolation-helpers.js';

const ALL: Isolation[] = ['in-process', ...MODES];
const PY_DIR = fileURLToPath(new URL('../../../../examples/python-greeter', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;

// A greeter whose dispose hook never settles, and one whose factory throws.
const STUCK = `import { definePlugin } from '@x/sdk';
import { greeter } from '@x/contract';
export const plugin = definePlugin(greeter, (ctx) => {
  ctx.onDispose(() => new Promise(() => {}));
  return { greet: (n) => 'Hi ' + n + ' ' + ctx.config.mark, lang: () => 'stuck' };
});
`;
const BROKEN = `import { definePlugin } from '@x/sdk';
import { greeter } from '@x/contract';
export const plugin = definePlugin(greeter, (ctx) => {
  if (ctx.config?.ok !== true) throw new RangeError('config.ok must be true');
  return { greet: (n) => n, lang: () => 'broken' };
});
`;

let project: Project;
let handles: PluginHandle[];
beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
  handles = [];
  project.link('@x/contract');
  project.link('@x/sdk');
  project.addPlugin('stuck', { files: { 'index.js': STUCK } });
  project.addPlugin('broken', { files: { 'index.js': BROKEN } });
});
afterEach(async () => {
  await Promise.allSettled(handles.map((h) => h.close()));
  project.remove();
});

describe.each(ALL)('lifecycle, %s', (isolation) => {
  it('close() waits for a stuck dispose hook only disposeTimeout ms, then ends the plugin and says so', async () => {
    const { logger, lines } = collectingLogger();
    const handle = await loadPlugin('stuck', {
      cwd: project.dir,
      isolation,
      config: { mark: '!' },
      disposeTimeout: 200,
      logger,
    });
    handles.push(handle);
    expect(await handle.plugin.greet!('Ada')).toBe('Hi Ada !');
    const started = Date.now();
    await handle.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines.some((l) => l.message.includes('did not finish within 200 ms'))).toBe(true);
    expect((await rejection(handle.plugin.greet!('again'))).code).toBe('ERR_PLUGIN_CLOSED');
  });

  it('a factory that throws fails the load with ERR_PLUGIN_LOAD and its reason; a good config loads', async () => {
    const bad = await rejection(loadPlugin('broken', { cwd: project.dir, isolation, config: { ok: false } }));
    expect(bad.code).toBe('ERR_PLUGIN_LOAD');
    expect(bad.message).toContain('config.ok must be true');
    const good = await loadPlugin('broken', { cwd: project.dir, isolation, config: { ok: true } });
    handles.push(good);
    expect(await good.plugin.lang!()).toBe('broken');
  });
});

describe.skipIf(!hasPython)('a hand-written v1 plugin (examples/python-greeter)', () => {
  it('is not sent x/init without config, and refuses config it cannot take', async () => {
    const handle = await loadPlugin(PY_DIR, { contract: greeter });
    handles.push(handle as unknown as PluginHandle);
    expect(await handle.plugin.lang()).toBeTypeOf('string');
    const refused = await rejection(loadPlugin(PY_DIR, { contract: greeter, config: { a: 1 } }));
    expect(refused.code).toBe('ERR_PLUGIN_LOAD');
    expect(refused.message).toContain('cannot take the config');
  });
});
