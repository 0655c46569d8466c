import { join } from 'node:path';
import { greeter, PluginError } from '@x/contract';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { type LoadOptions, loadPlugin, type PluginHandle } from '../../src/index.js';
import { Project } from '../fixtures.js';
import {
  assertNothingLeft,
  collectingLogger,
  type LogLine,
  printedPids,
  snapshot,
  waitFor,
  warmUp,
} from '../isolation-helpers.js';

// What every fault test shares: loading the evil plugin (evil-server.cjs) from a real package, the
// script it is sent, the arbitraries of hostile frames, and the checks run after each fault.

export const EVIL_SERVER = join(import.meta.dirname, 'evil-server.cjs');

/** fast-check runs per property: modest in CI, more in `pnpm soak` (X_FAULT_RUNS). */
export const runs = (ci: number): number => Number(process.env.X_FAULT_RUNS ?? ci);

/** What the evil plugin does in one greet() call (see evil-server.cjs). */
export interface EvilScript {
  readonly frames?: readonly string[];
  readonly answer?: 'normal' | 'twice' | 'none' | 'late';
  readonly delayMs?: number;
  readonly exit?: 'half' | 'now';
  readonly deaf?: boolean;
  readonly oversize?: number;
  readonly cuts?: readonly number[];
  readonly flood?: 'request' | 'notification';
}

export const script = (s: EvilScript): string => JSON.stringify(s);

/** A greeter package whose server is the evil one; every pid it printed is kept in `pids`. */
export class Evil {
  readonly log = collectingLogger();
  readonly #handles: PluginHandle<typeof greeter>[] = [];

  constructor(private readonly project: Project) {
    project.addPlugin('evil', { files: { 'index.js': 'export const plugin = {};' } });
  }

  async load(
    isolation: 'worker' | 'process',
    options: LoadOptions<typeof greeter> = {},
  ): Promise<PluginHandle<typeof greeter>> {
    const handle = await loadPlugin('evil', {
      cwd: this.project.dir,
      isolation,
      contract: greeter,
      logger: this.log.logger,
      server: EVIL_SERVER,
      ...options,
    });
    this.#handles.push(handle);
    return handle;
  }

  get lines(): LogLine[] {
    return this.log.lines;
  }

  /** Protocol problems the host logged (what it ignored). */
  problems(): string[] {
    return this.lines.filter((l) => l.fields.stream === 'rpc').map((l) => l.message);
  }

  /** Closes every handle, and answers the pids of every plugin process that ever ran. */
  async closeAll(): Promise<number[]> {
    for (const h of this.#handles.splice(0)) await h.close();
    return printedPids(this.lines);
  }
}

/** Every active resource of this process (handles, requests, timers), counted by kind. */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/**
 * A baseline taken before a fault test: `check()` then asserts what `assertNothingLeft` does (no
 * plugin pid alive, no process pipe, no thread more) and, more strictly, that every kind of active
 * resource is back to its count (a timer left behind by a call would show as a Timeout).
 */
export function baseline(): { check(pids: readonly number[]): Promise<void> } {
  const before = snapshot();
  const counts = resources();
  const over = () => [...resources()].filter(([kind, n]) => n > (counts.get(kind) ?? 0));
  return {
    async check(pids) {
      await assertNothingLeft(before, pids);
      await waitFor(() => over().length === 0).catch(() => {});
      expect(Object.fromEntries(over()), 'resources left behind').toEqual({});
    },
  };
}

/** How long a call may stay unsettled before the test calls it a leak (generous: a shared machine). */
const UNSETTLED_MS = 60_000;

/**
 * Settles `promise`; it must settle (within a minute: else "never settled"), and a failure must be
 * a PluginError with a code, never anything else.
 */
export async function outcome(promise: Promise<unknown>): Promise<{ value?: unknown; error?: PluginError }> {
  let timer: NodeJS.Timeout | undefined;
  const never = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('a call never settled')), UNSETTLED_MS);
  });
  try {
    return { value: await Promise.race([promise, never]) };
  } catch (error) {
    if (error instanceof Error && error.message === 'a call never settled') throw error;
    expect(PluginError.isInstance(error), `not a PluginError: ${String(error)}`).toBe(true);
    expect((error as PluginError).code).toMatch(/^ERR_PLUGIN_[A-Z]+$/);
    return { error: error as PluginError };
  } finally {
    clearTimeout(timer);
  }
}

// Hostile frames. `"$ID"` becomes the id of the call being answered (the server replaces it).

const ID = '$ID';
const anyId = fc.oneof(
  fc.constant(ID),
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 1 }),
);
const methodName = fc.oneof(
  fc.constantFrom('x/call', 'x/health', 'x/log', 'x/handshake', '$/cancelRequest', 'host/secret'),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 1 }),
);
const errorBody = fc.oneof(
  fc.record({ code: fc.integer(), message: fc.string({ maxLength: 20 }) }),
  fc.record(
    { code: fc.jsonValue({ maxDepth: 1 }), message: fc.jsonValue({ maxDepth: 1 }), data: fc.jsonValue() },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 1 }),
);

/** Anything shaped roughly like a JSON-RPC message, with every field of any type, or missing. */
const rpcLike = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.jsonValue({ maxDepth: 0 })),
    id: anyId,
    method: methodName,
    params: fc.jsonValue({ maxDepth: 2 }),
    result: fc.jsonValue({ maxDepth: 2 }),
    error: errorBody,
  },
  { requiredKeys: [] },
);

const answerTo = (id: unknown) =>
  fc.oneof(
    fc.record({ jsonrpc: fc.constant('2.0'), id: fc.constant(id), result: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ jsonrpc: fc.constant('2.0'), id: fc.constant(id), error: errorBody }),
  );

/** A hostile frame, by the kind of fault it is (the label shows in a counterexample). */
export const hostileFrame: fc.Arbitrary<string> = fc.oneof(
  // not JSON at all (may hold newlines: then it is several garbage lines)
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 60, unit: 'binary' }),
  // valid JSON of any shape: not a message
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  // messages with fields of the wrong types
  rpcLike.map((v) => JSON.stringify(v)),
  // a truncated answer to this call
  answerTo(ID)
    .map((m) => JSON.stringify(m))
    .chain((text) => fc.nat({ max: text.length - 1 }).map((cut) => text.slice(0, cut))),
  // an early (duplicate) answer to this call: the first answer wins, the real one is dropped
  answerTo(ID).map((v) => JSON.stringify(v)),
  // answers to ids the host never used
  fc
    .oneof(fc.integer({ min: 1_000_000 }), fc.string({ maxLength: 8 }))
    .chain(answerTo)
    .map((v) => JSON.stringify(v)),
  // batches of any of the above shapes
  fc.array(fc.oneof(rpcLike, fc.jsonValue({ maxDepth: 1 })), { maxLength: 4 }).map((v) => JSON.stringify(v)),
);

/** One call of a fuzz run: what the plugin sends around its answer, and how it answers. */
export const hostileCall = fc.record({
  frames: fc.array(hostileFrame, { maxLength: 6 }),
  // where to cut the frames' text into separate writes (none: one write per frame)
  cuts: fc.oneof(fc.constant([]), fc.array(fc.nat({ max: 400 }), { minLength: 1, maxLength: 4 })),
  answer: fc.constantFrom('normal', 'twice', 'none', 'late'),
  delayMs: fc.integer({ min: 0, max: 30 }),
  // how the caller stops waiting: not at all (the plugin answers), abort, or a timeout
  stop: fc.constantFrom('wait', 'abort', 'timeout'),
});

/**
 * The hooks a file of evil-plugin tests needs: a fresh project and Evil per test, and after it,
 * every plugin closed and nothing left beyond the baseline taken before it.
 */
export function useEvil(): { readonly evil: Evil } {
  let project: Project;
  let evil: Evil;
  let before: ReturnType<typeof baseline>;
  beforeAll(warmUp);
  beforeEach(() => {
    project = new Project();
    evil = new Evil(project);
    before = baseline();
  });
  afterEach(async () => {
    const pids = await evil.closeAll();
    await before.check(pids);
    project.remove();
  });
  return {
    get evil() {
      return evil;
    },
  };
}
