import { greeter, type PluginError } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPlugin, type PluginHandle } from '../src/index.js';
import { Project } from './fixtures.js';
import {
  assertNothingLeft,
  collectingLogger,
  type LogLine,
  MODES,
  printedPids,
  rejection,
  snapshot,
  waitFor,
  warmUp,
} from './isolation-helpers.js';

// Plugins that misbehave in every way the issue lists, as real packages. After each, the host
// still answers (a healthy plugin loads and greets) and nothing the faulty one started is left.

/** A fault plugin: prints its pid first (so the test can check it is gone), then `body`. */
const fault = (body: string, lang = "() => 'x'") => `console.log('pid=' + process.pid);
${body}
export const plugin = { greet, lang: ${lang} };`;

let project: Project;
let before: ReturnType<typeof snapshot>;
let log: { lines: LogLine[]; logger: ReturnType<typeof collectingLogger>['logger'] };
const handles: PluginHandle[] = [];
const pids = new Set<number>();

beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
  project.addPlugin('greeter-plugin-english');
  before = snapshot();
  log = collectingLogger();
});
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
  for (const pid of printedPids(log.lines)) pids.add(pid);
  for (const isolation of MODES) {
    const healthy = await loadPlugin('greeter-plugin-english', {
      cwd: project.dir,
      isolation,
      contract: greeter,
    });
    expect(await healthy.plugin.greet('World')).toBe('Hello, World! Nice to meet you.');
    await healthy.close();
  }
  await assertNothingLeft(before, [...pids]);
  pids.clear();
  project.remove();
});

async function load(
  name: string,
  files: string,
  options: Parameters<typeof loadPlugin>[1],
): Promise<PluginHandle> {
  project.addPlugin(name, { files: { 'index.js': files } });
  const handle = await loadPlugin(name, {
    cwd: project.dir,
    logger: log.logger,
    contract: greeter,
    ...options,
  });
  handles.push(handle);
  if (handle.pid !== undefined) pids.add(handle.pid);
  return handle;
}

describe.each(MODES)('%s isolation', (isolation) => {
  it('a plugin that throws: a call error, or a crash, restart and an answer again', async () => {
    const handle = await load(
      'thrower',
      fault(`function greet(n) {
  if (n === 'later') { setTimeout(() => { throw new Error('uncaught later'); }, 1); return new Promise(() => {}); }
  throw new TypeError('bad ' + n);
}`),
      { isolation },
    );
    expect((await rejection(handle.call('greet', ['x']))).code).toBe('ERR_PLUGIN_CALL');
    const crash = await rejection(handle.call('greet', ['later']));
    expect(crash.code).toBe('ERR_PLUGIN_CRASHED');
    expect(crash.message).toContain('uncaught later');
    expect(await handle.call('lang', [])).toBe('x');
    expect(handle.restarts).toBe(1);
    if (handle.pid !== undefined) pids.add(handle.pid);
    expect(log.lines.some((l) => l.level === 'error' && l.fields.plugin === 'thrower')).toBe(true);
  });

  it('a plugin that calls process.exit: restarted twice, then stopped and reported', async () => {
    const crashes: PluginError[] = [];
    const handle = await load('exiter', fault('function greet() { process.exit(3); }'), {
      isolation,
      onCrash: (e) => crashes.push(e),
    });
    for (let i = 0; i < 3; i++) {
      const error = await rejection(handle.call('greet', ['x']));
      expect(error.code).toBe('ERR_PLUGIN_CRASHED');
      expect(error.message).toContain('exit code 3');
      if (i < 2) expect(await handle.call('lang', [])).toBe('x');
      if (handle.pid !== undefined) pids.add(handle.pid);
    }
    expect(crashes).toHaveLength(3);
    expect(handle.state).toBe('stopped');
    expect(handle.restarts).toBe(2);
    const stopped = await rejection(handle.call('lang', []));
    expect(stopped.code).toBe('ERR_PLUGIN_CRASHED');
    expect(stopped.message).toContain('stopped after crashing 3 times within 300 s');
  });

  it('a plugin that never answers: timeouts and aborts, and a hung one is killed and restarted', async () => {
    const handle = await load(
      'silent',
      fault("function greet(n) { if (n === 'spin') for (;;) {} return new Promise(() => {}); }"),
      { isolation, callTimeout: 200, healthTimeout: 1000 },
    );
    const timeout = await rejection(handle.call('greet', ['wait']));
    expect(timeout.code).toBe('ERR_PLUGIN_TIMEOUT');
    expect(timeout.message).toContain('It took longer than 200 ms');
    const controller = new AbortController();
    const aborted = handle.call('greet', ['wait'], { signal: controller.signal });
    controller.abort();
    expect((await rejection(aborted)).code).toBe('ERR_PLUGIN_ABORTED');
    expect((await handle.health!()).ok).toBe(true); // waiting on a promise is not hanging
    expect(handle.restarts).toBe(0);
    expect((await rejection(handle.call('greet', ['spin']))).code).toBe('ERR_PLUGIN_TIMEOUT');
    await waitFor(() => handle.restarts === 1 && handle.state === 'running');
    expect(await handle.call('lang', [], { timeout: 20_000 })).toBe('x');
    expect(log.lines.some((l) => l.message.includes('hung: no answer to a health check'))).toBe(true);
    if (handle.pid !== undefined) pids.add(handle.pid);
  });

  it('a plugin that floods stdout before and after the handshake still answers', async () => {
    const handle = await load(
      'flood',
      fault(`for (let i = 0; i < 5000; i++) console.log('boot line ' + i);
function greet(n) { for (let i = 0; i < 5000; i++) console.log('call line ' + i); return 'Hi ' + n; }`),
      { isolation },
    );
    expect(await handle.call('greet', ['Go'])).toBe('Hi Go');
    expect(await handle.call('greet', ['again'])).toBe('Hi again');
    await waitFor(() => log.lines.filter((l) => l.message.startsWith('call line')).length === 10_000);
    expect(log.lines.filter((l) => l.message.startsWith('boot line'))).toHaveLength(5000);
    expect(log.lines.every((l) => l.fields.plugin === 'flood')).toBe(true);
  });

  it('a plugin that starts too slowly: ERR_PLUGIN_TIMEOUT, and it is stopped', async () => {
    project.addPlugin('sluggish', {
      files: { 'index.js': fault('await new Promise((r) => setTimeout(r, 60_000));\nfunction greet() {}') },
    });
    const error = await rejection(
      loadPlugin('sluggish', { cwd: project.dir, isolation, timeout: 300, logger: log.logger }),
    );
    expect(error.code).toBe('ERR_PLUGIN_TIMEOUT');
    expect(error.message).toContain('did not complete its handshake within 300 ms');
  });

  it('a plugin that allocates without bound hits its heap limit and is reported, not the host', async () => {
    const handle = await load(
      'hog',
      fault(
        'const hoard = [];\nfunction greet() { for (;;) hoard.push(new Array(1e5).fill(hoard.length)); }',
      ),
      { isolation, maxHeapMb: 48, restart: false },
    );
    const error = await rejection(handle.call('greet', ['x'], { timeout: 60_000 }));
    expect(error.code).toBe('ERR_PLUGIN_CRASHED');
    expect(handle.state).toBe('stopped');
    expect(process.memoryUsage().heapUsed).toBeLessThan(1024 * 1024 * 1024);
  });
});
