import { isDeepStrictEqual } from 'node:util';
import { defineContract, t } from '@x/contract';
import { afterAll, beforeAll } from 'vitest';
import { type Isolation, type Logger, loadPlugin, type PluginHandle } from '../src/index.js';
import { Project } from './fixtures.js';
import { warmUp } from './isolation-helpers.js';

// An echo plugin for the wire tests. Its contract says t.unknown(), so any batch of values travels
// unchecked: these tests are about the wire, not about schemas.

export const echoContract = defineContract({
  name: 'echo',
  methods: {
    echo: { params: [{ name: 'batch', type: t.unknown() }], returns: t.unknown() },
    fail: { params: [{ name: 'kind', type: 'string' }], returns: 'void' },
    bytes: { params: [{ name: 'size', type: 'number' }], returns: t.unknown() },
  },
});

export const ECHO_PLUGIN = `
class MyError extends Error {
  name = 'MyError';
}
function deep(n) {
  let e = new Error('level ' + n);
  for (let i = n - 1; i >= 0; i--) e = new Error('level ' + i, { cause: e });
  return e;
}
export const plugin = {
  echo: (batch) => batch,
  bytes: (size) => ({ bytes: new Uint8Array(size).fill(7) }),
  fail(kind) {
    if (kind === 'coded') {
      throw Object.assign(new RangeError('bad range', { cause: new Error('inner', { cause: 'root text' }) }), {
        code: 'E_RANGE',
        status: 418,
        detail: { list: [1, 'two', null], ok: true },
        skipped: () => 1,
      });
    }
    if (kind === 'aggregate') throw new AggregateError([new TypeError('first'), 'second', new MyError('third')], 'many');
    if (kind === 'custom') throw Object.assign(new MyError('mine'), { code: 42 });
    if (kind === 'cycle') {
      const a = new Error('a');
      const b = new Error('b', { cause: a });
      a.cause = b;
      throw a;
    }
    if (kind === 'deep') throw deep(30);
    if (kind === 'string') throw 'just a string';
    if (kind === 'object') throw { status: 503, retry: [1, 2] };
    throw new Error('unknown kind ' + kind);
  },
};
`;

export function addEchoPlugin(project: Project): void {
  project.addPlugin('echo-plugin', {
    packageJson: { xPlugin: { contract: 'echo' } },
    files: { 'index.js': ECHO_PLUGIN },
  });
}

export type Echo = PluginHandle & { call(method: string, args: unknown[]): Promise<unknown> };
export type { Isolation };

const INVALID_DATE = Symbol.for('x.test.invalid-date');

function normalize(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? INVALID_DATE : value;
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

/**
 * isDeepStrictEqual (Object.is on numbers, prototypes compared), except that two invalid Dates are
 * the same value: their times are both NaN, which isDeepStrictEqual calls unequal for any two
 * distinct Date objects (found by the property test: a worker's copy of `new Date(NaN)`).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalize(a), normalize(b));
}

/** The echo plugin loaded once per file in each of `isolations` (closed, and its project removed, after the file). */
export function useEchoHandles(
  isolations: readonly Isolation[],
  logger?: Logger,
): ReadonlyMap<Isolation, Echo> {
  const project = new Project();
  const handles = new Map<Isolation, Echo>();
  beforeAll(async () => {
    await warmUp();
    addEchoPlugin(project);
    for (const isolation of isolations) {
      const handle = await loadPlugin('echo-plugin', {
        cwd: project.dir,
        isolation,
        contract: echoContract,
        ...(logger === undefined ? {} : { logger }),
      });
      handles.set(isolation, handle as Echo);
    }
  });
  afterAll(async () => {
    await Promise.allSettled([...handles.values()].map((h) => h.close()));
    project.remove();
  });
  return handles;
}
