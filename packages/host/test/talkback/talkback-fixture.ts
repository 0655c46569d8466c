import { type AnyContract, defineContract } from '@x/contract';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import type { PluginHandle } from '../../src/index.js';
import { Project } from '../fixtures.js';
import { warmUp } from '../isolation-helpers.js';

// A contract with host functions and a config, and a factory-form plugin of it, written as a real
// package that imports the real, built @x/sdk.

export const CONTRACT_DATA = {
  name: 'kv',
  methods: {
    config: { params: [], returns: 'string' },
    lookup: { params: [{ name: 'key', type: 'string' }], returns: 'string' },
    nested: { params: [{ name: 'name', type: 'string' }], returns: 'string' },
    echo: { params: [{ name: 'text', type: 'string' }], returns: 'string' },
    hostThrows: { params: [], returns: 'string' },
    undeclared: { params: [], returns: 'string' },
    badArgs: { params: [], returns: 'string' },
    wait: { params: [], returns: 'string' },
    waitOnHost: { params: [], returns: 'string' },
    seen: { params: [], returns: 'string' },
    crash: { params: [], returns: 'void' },
    count: {
      params: [{ name: 'n', type: 'number' }],
      // What t.stream(t.number()) builds, as plain JSON (the plugin's copy is written into its source).
      returns: { type: 'AsyncIterator', items: { type: 'number' } },
    },
    failing: { params: [], returns: { type: 'AsyncIterator', items: { type: 'number' } } },
    hangStream: { params: [], returns: { type: 'AsyncIterator', items: { type: 'number' } } },
  },
  host: {
    fetch: { params: [{ name: 'key', type: 'string' }], returns: 'string' },
    callBack: { params: [{ name: 'name', type: 'string' }], returns: 'string' },
    fail: { params: [], returns: 'string' },
    hang: { params: [], returns: 'string' },
    disposed: { params: [{ name: 'what', type: 'string' }], returns: 'void' },
    unimplemented: { params: [], returns: 'string' },
  },
  config: { type: 'object' },
} as const;

// Plain JSON data, as another language would write it; defineContract reads it as schemas.
export const kv = defineContract(CONTRACT_DATA as never) as AnyContract;

const PLUGIN = `import { definePlugin } from '@x/sdk';
const contract = ${JSON.stringify(CONTRACT_DATA)};
const seen = { aborts: 0, hostAborts: [], produced: 0, finallies: 0, signalAborted: 0 };
export const plugin = definePlugin(contract, (ctx) => {
  // A timer that would keep the host alive if nobody cleared it.
  const timer = setInterval(() => {}, 1000);
  ctx.onDispose(() => clearInterval(timer));
  ctx.onDispose(() => ctx.host.disposed('onDispose'));
  ctx.logger.info('factory ran');
  return {
    config: () => JSON.stringify(ctx.config),
    lookup: (key) => ctx.host.fetch(key),
    nested: async (name) => 'plugin(' + (await ctx.host.callBack(name)) + ')',
    echo: (text, extra) => text + ':' + typeof extra.signal.aborted,
    hostThrows: async () => {
      try { await ctx.host.fail(); return 'no error'; }
      catch (e) { return [e instanceof Error, e.name, e.message, e.code].join('|'); }
    },
    undeclared: async () => {
      const codes = [];
      for (const fn of ['secret', 'unimplemented']) {
        try { await ctx.host[fn](); codes.push('no error'); } catch (e) { codes.push(e.code); }
      }
      return codes.join(',');
    },
    badArgs: async () => {
      const codes = [];
      for (const args of [[42], ['a', 'b', 'c']]) {
        try { await ctx.host.fetch(...args); codes.push('no error'); } catch (e) { codes.push(e.code + ' ' + e.message.includes('wrong arguments')); }
      }
      return codes.join(',');
    },
    wait: (_ctx) => new Promise((resolve) => {
      _ctx.signal.addEventListener('abort', () => { seen.aborts++; resolve('aborted'); });
    }),
    waitOnHost: async () => {
      try { await ctx.host.hang(); } catch (e) { seen.hostAborts.push(e.name); }
      return 'done';
    },
    seen: () => JSON.stringify(seen),
    count: async function* (n, { signal }) {
      seen.produced = 0;
      try {
        for (let i = 0; i < n; i++) { seen.produced++; yield i; }
      } finally {
        seen.finallies++;
        if (signal.aborted) seen.signalAborted++;
      }
    },
    failing: async function* () { yield 1; yield 2; throw new RangeError('broke mid-stream'); },
    // A host function called from inside a stream, between two items: cancelled with the stream.
    hangStream: async function* () {
      yield 1;
      try { await ctx.host.hang(); } catch (e) { seen.hostAborts.push(e.name); }
      yield 2;
    },
    crash: () => { setTimeout(() => process.exit(7), 1); },
    async [Symbol.asyncDispose]() { await ctx.host.disposed('asyncDispose'); },
  };
});
`;

/** Writes the kv plugin package into `project`, with @x/sdk and @x/contract linked. */
export function addKvPlugin(project: Project, name = 'kv-plugin'): string {
  project.link('@x/contract');
  project.link('@x/sdk');
  return project.addPlugin(name, {
    packageJson: { xPlugin: { contract: 'kv' } },
    files: { 'index.js': PLUGIN },
  });
}

/** What useTalkbackProject gives a test: its own project, and the handles to close after it. */
export interface TalkbackProject {
  readonly project: Project;
  readonly handles: PluginHandle[];
}

/**
 * A fresh project for each test (with the kv plugin, or what `setup` writes), and every handle a
 * test pushes on `handles` closed after it, whatever happened.
 */
export function useTalkbackProject(setup: (project: Project) => void = addKvPlugin): TalkbackProject {
  const state = { project: undefined as unknown as Project, handles: [] as PluginHandle[] };
  beforeAll(warmUp);
  beforeEach(() => {
    state.project = new Project();
    state.handles = [];
    setup(state.project);
  });
  afterEach(async () => {
    await Promise.allSettled(state.handles.map((h) => h.close()));
    state.project.remove();
  });
  return state;
}
