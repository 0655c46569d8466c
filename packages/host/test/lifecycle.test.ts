import { greeter } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHost } from '../src/host.js';
import { loadPlugin } from '../src/load/load-plugin.js';
import { ENGLISH_ESM, Project } from './fixtures.js';
import {
  assertNothingLeft,
  collectingLogger,
  MODES,
  printedPids,
  rejection,
  snapshot,
  waitFor,
  warmUp,
} from './isolation-helpers.js';

let project: Project;
beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
});
afterEach(() => project.remove());

/** A plugin that prints its pid, then takes `ms` to import. */
const slowImport = (ms: number, plugin = ENGLISH_ESM) =>
  `console.log('pid=' + process.pid);\nawait new Promise((r) => setTimeout(r, ${ms}));\n${plugin}`;

describe('in-process plugins honour the start and call timeouts', () => {
  it('startTimeout: an import that never settles fails the load with ERR_PLUGIN_TIMEOUT', async () => {
    project.addPlugin('hangs', {
      files: { 'index.js': 'await new Promise(() => {});\nexport const plugin = {};' },
    });
    const error = await rejection(loadPlugin('hangs', { cwd: project.dir, startTimeout: 200 }));
    expect(error).toMatchObject({
      code: 'ERR_PLUGIN_TIMEOUT',
      details: { timeout: 200, isolation: 'in-process' },
    });
  });

  it('callTimeout: a call that never answers fails with ERR_PLUGIN_TIMEOUT; an abort with ERR_PLUGIN_ABORTED', async () => {
    project.addPlugin('never', {
      files: { 'index.js': 'export const plugin = { greet: () => new Promise(() => {}), lang: () => "x" };' },
    });
    const handle = await loadPlugin('never', { cwd: project.dir, callTimeout: 50, contract: greeter });
    const timeout = await rejection(handle.plugin.greet('a'));
    expect(timeout).toMatchObject({ code: 'ERR_PLUGIN_TIMEOUT', details: { timeout: 50 } });
    const controller = new AbortController();
    const pending = handle.call('greet', ['a'], { signal: controller.signal, timeout: 60_000 });
    controller.abort();
    const abort = await rejection(pending);
    expect(abort.code).toBe('ERR_PLUGIN_ABORTED');
    expect(abort.message).toContain('aborted by the caller');
    // Aborted before it starts: the same code, and nothing is called.
    expect((await rejection(handle.call('greet', ['a'], { signal: controller.signal }))).code).toBe(
      'ERR_PLUGIN_ABORTED',
    );
    expect(handle.stats()).toMatchObject({
      calls: 3,
      errors: 3,
      errorsByCode: { ERR_PLUGIN_TIMEOUT: 1, ERR_PLUGIN_ABORTED: 2 },
      inFlight: 0,
    });
    await handle.close();
  });
});

describe.each(['in-process', ...MODES] as const)(
  '%s: names on prototypes are unknown methods',
  (isolation) => {
    it('constructor, __proto__, toString, hasOwnProperty, valueOf', async () => {
      project.addPlugin('english');
      const handle = await loadPlugin('english', { cwd: project.dir, isolation, contract: greeter });
      for (const method of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
        const error = await rejection(handle.call(method, []));
        expect(error).toMatchObject({ code: 'ERR_PLUGIN_CONTRACT', details: { method } });
        expect(error.message).toContain(`has no method "${method}"`);
      }
      expect(Object.keys(handle.plugin)).toEqual(['greet', 'lang']);
      expect(await handle.plugin.lang()).toBe('English');
      await handle.close();
    });
  },
);

describe.each(MODES)('%s: nothing is left running by a load that does not finish', (isolation) => {
  it('host.close() during a load ends the load with ERR_PLUGIN_CLOSED and stops the plugin', async () => {
    project.addPlugin('slow', { files: { 'index.js': slowImport(30_000) } });
    const { logger, lines } = collectingLogger();
    const before = snapshot();
    const host = createHost({ cwd: project.dir, logger });
    const loading = host.load('slow', { isolation });
    // Started: its first line is printed before its slow import ends.
    await waitFor(() => lines.some((l) => l.message.startsWith('pid=')));
    await host.close();
    const error = await rejection(loading);
    expect(error.code).toBe('ERR_PLUGIN_CLOSED');
    expect(host.handles()).toEqual([]);
    await assertNothingLeft(before, printedPids(lines));
    // The host can load again after close().
    project.addPlugin('english');
    const english = await host.load('english', { isolation });
    expect(await english.call('lang', [])).toBe('English');
    await host.close();
  });

  it('an aborted load signal ends the load with ERR_PLUGIN_ABORTED and stops the plugin', async () => {
    project.addPlugin('slow', { files: { 'index.js': slowImport(30_000) } });
    const { logger, lines } = collectingLogger();
    const before = snapshot();
    const controller = new AbortController();
    const loading = loadPlugin('slow', { cwd: project.dir, isolation, logger, signal: controller.signal });
    await waitFor(() => lines.some((l) => l.message.startsWith('pid=')));
    controller.abort();
    expect((await rejection(loading)).code).toBe('ERR_PLUGIN_ABORTED');
    await assertNothingLeft(before, printedPids(lines));
  });

  it('a load that fails after its plugin started (it does not conform) stops the plugin', async () => {
    project.addPlugin('half', {
      files: { 'index.js': slowImport(0, 'export const plugin = { lang: () => "x" };') },
    });
    const { logger, lines } = collectingLogger();
    const before = snapshot();
    const error = await rejection(loadPlugin('half', { cwd: project.dir, isolation, logger }));
    expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
    await assertNothingLeft(before, printedPids(lines));
  });
});

describe('the host forgets closed handles', () => {
  it('10,000 load/close cycles of an in-process plugin leave the host holding none', async () => {
    project.addPlugin('english');
    const host = createHost({ cwd: project.dir });
    for (let i = 0; i < 10_000; i++) {
      const handle = await host.load('english', { contract: greeter });
      if (i % 1000 === 0) expect(host.handles()).toHaveLength(1);
      await handle.close();
    }
    expect(host.handles()).toHaveLength(0);
    await host.close();
  }, 120_000);

  it('an isolated handle closed by its owner leaves too', async () => {
    project.addPlugin('english');
    const host = createHost({ cwd: project.dir });
    const handle = await host.load('english', { isolation: 'worker' });
    expect(host.handles()).toEqual([handle]);
    await handle.close();
    expect(host.handles()).toEqual([]);
    await host.close();
  });
});
