import { defineContract, greeter } from '@x/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../src/host.js';
import { loadPlugin } from '../src/load/load-plugin.js';
import { Project } from './fixtures.js';
import { rejection } from './isolation-helpers.js';

let project: Project;
beforeAll(() => {
  project = new Project();
  project.addPlugin('greeter-plugin-english');
});
afterAll(() => project.remove());

const load = (options: unknown, spec: unknown = 'greeter-plugin-english') =>
  loadPlugin(spec as string, { cwd: project.dir, ...(options as object) } as never);

describe('load options: every bad value is ERR_PLUGIN_OPTIONS naming the option, before anything runs', () => {
  it.each<[string, unknown]>([
    ['isolation', { isolation: 'vm' }],
    ['startTimeout', { startTimeout: 0 }],
    ['startTimeout', { startTimeout: -5 }],
    ['startTimeout', { startTimeout: 1.5 }],
    ['startTimeout', { startTimeout: Number.NaN }],
    ['startTimeout', { startTimeout: Number.POSITIVE_INFINITY }],
    ['startTimeout', { startTimeout: 2 ** 31 }],
    ['startTimeout', { startTimeout: '100' }],
    ['timeout', { timeout: -1 }],
    ['timeout', { timeout: 100, startTimeout: 200 }],
    ['callTimeout', { callTimeout: 0 }],
    ['callTimeout', { callTimeout: 2 ** 31 }],
    ['healthTimeout', { healthTimeout: -1 }],
    ['signal', { signal: { aborted: false } }],
    ['signal', { signal: 'abort' }],
    ['env', { env: { A: 1 } }],
    ['env', { env: 'A=1' }],
    ['env', { env: ['A=1'] }],
    ['restart', { restart: true }],
    ['restart', { restart: { maxCrashes: 0 } }],
    ['restart', { restart: { windowMs: -1 } }],
    ['restart', { restart: { retries: 3 } }],
    ['maxPendingCalls', { maxPendingCalls: 0 }],
    ['maxPendingCalls', { maxPendingCalls: '10' }],
    ['maxQueuedBytes', { maxQueuedBytes: -1 }],
    ['maxHeapMb', { maxHeapMb: 0 }],
    ['execArgv', { execArgv: '--inspect' }],
    ['execArgv', { execArgv: [1] }],
    ['permissions', { permissions: true }],
    ['permissions', { permissions: 'all' }],
    ['permissions', { permissions: { fsRead: '/etc' } }],
    ['permissions', { permissions: { network: true } }],
    ['integrity', { integrity: 42 }],
    ['integrity', { integrity: '' }],
    ['contract', { contract: 'greeter' }],
    ['contract', { contract: { name: 'greeter' } }],
    ['contract', { contract: { name: 'greeter', methods: { greet: {} } } }],
    ['contracts', { contracts: 'greeter' }],
    ['contracts', { contracts: [{ name: 'x' }] }],
    ['logger', { logger: console.log }],
    ['onCrash', { onCrash: 'log' }],
    ['server', { server: 3 }],
    ['cwd', { cwd: 7 }],
    ['callTimout', { callTimout: 100 }],
    ['options', 'fast'],
  ])('%s: %j', async (option, options) => {
    const error = await rejection(
      typeof options === 'string' ? loadPlugin('greeter-plugin-english', options as never) : load(options),
    );
    expect(error.code).toBe('ERR_PLUGIN_OPTIONS');
    expect(error.details.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).not.toMatch(/unexpected|report it/i);
  });

  it.each([[''], ['   '], [undefined], [42], [{}]])('spec %j', async (spec) => {
    const error = await rejection(loadPlugin(spec as string, { cwd: project.dir }));
    expect(error).toMatchObject({ code: 'ERR_PLUGIN_OPTIONS', details: { option: 'spec' } });
  });

  it('takes timeout as the deprecated name of startTimeout, and both when they agree', async () => {
    for (const options of [
      { timeout: 5000 },
      { startTimeout: 5000 },
      { timeout: 5000, startTimeout: 5000 },
    ]) {
      const handle = await load(options);
      expect(await handle.call('greet', ['A'])).toBe('Hello, A! Nice to meet you.');
      await handle.close();
    }
  });

  it('takes contracts as an array on load, as createHost does (and a 1.0 record still)', async () => {
    const custom = defineContract({ name: 'custom', methods: { ping: { params: [], returns: 'string' } } });
    project.addPlugin('custom-plugin', {
      packageJson: { xPlugin: { contract: 'custom' } },
      files: { 'index.js': 'export const plugin = { ping: () => "pong" };' },
    });
    for (const contracts of [[custom], { custom }]) {
      const handle = await load({ contracts }, 'custom-plugin');
      expect(await handle.call('ping', [])).toBe('pong');
      await handle.close();
    }
  });

  it('createHost refuses a bad cwd, logger or options, and loadAll specs that are not an array', async () => {
    for (const [options, option] of [
      [{ cwd: 3 }, 'cwd'],
      [{ logger: 'stderr' }, 'logger'],
      ['fast', 'options'],
    ] as const) {
      expect(() => createHost(options as never)).toThrow(
        expect.objectContaining({ code: 'ERR_PLUGIN_OPTIONS', details: expect.objectContaining({ option }) }),
      );
    }
    const host = createHost({ cwd: project.dir });
    expect((await rejection(host.loadAll('greeter-plugin-english' as never))).details.option).toBe('specs');
  });

  it('createHost refuses a contracts option that is not an array of contracts', () => {
    for (const contracts of ['greeter', [{ name: 'x' }], { greeter }]) {
      let caught: unknown;
      try {
        createHost({ contracts: contracts as never });
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'ERR_PLUGIN_OPTIONS', details: { option: 'contracts' } });
    }
  });
});

describe('options a runtime cannot honour are refused, naming them (ERR_PLUGIN_LOAD)', () => {
  it.each([
    ['env', { env: { A: 'b' } }],
    ['execArgv', { execArgv: ['--no-warnings'] }],
    ['maxHeapMb', { maxHeapMb: 64 }],
    ['server', { server: './serve.js' }],
    ['restart', { restart: { maxCrashes: 5 } }],
    ['onCrash', { onCrash: () => {} }],
    ['healthTimeout', { healthTimeout: 100 }],
    ['maxQueuedBytes', { maxQueuedBytes: 1024 }],
  ])('in-process: %s', async (option, options) => {
    const error = await rejection(load({ isolation: 'in-process', ...options }));
    expect(error).toMatchObject({ code: 'ERR_PLUGIN_LOAD', details: { option, runtime: 'in-process' } });
    expect(error.fix).toMatch(/worker|process|Remove/);
  });

  it('worker: maxQueuedBytes, which a message port cannot measure', async () => {
    const error = await rejection(load({ isolation: 'worker', maxQueuedBytes: 1024 }));
    expect(error).toMatchObject({ code: 'ERR_PLUGIN_LOAD', details: { option: 'maxQueuedBytes' } });
  });
});

describe('call arguments and options', () => {
  it.each<[string, unknown, unknown]>([
    ['args', 'World', undefined],
    ['args', { 0: 'World' }, undefined],
    ['options', ['World'], 'fast'],
    ['timeout', ['World'], { timeout: 0 }],
    ['timeout', ['World'], { timeout: 1.5 }],
    ['timeout', ['World'], { timeout: 2 ** 31 }],
    ['signal', ['World'], { signal: {} }],
  ])('%s: %j %j', async (option, args, options) => {
    const handle = await load({});
    const error = await rejection(handle.call('greet', args as never, options as never));
    expect(error).toMatchObject({ code: 'ERR_PLUGIN_OPTIONS', details: { option } });
    await handle.close();
  });
});
