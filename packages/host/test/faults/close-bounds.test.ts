import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeter } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPlugin } from '../../src/index.js';
import { TERMINATE_GRACE_MS } from '../../src/runtimes/worker/start-worker.js';
import { Project } from '../fixtures.js';
import {
  collectingLogger,
  isAlive,
  printedPids,
  threadCount,
  waitFor,
  warmUp,
} from '../isolation-helpers.js';
import { outcome } from './evil.js';

// close() settles, whatever the plugin does: a process that ignores SIGTERM is killed after the
// grace period; a worker blocked in a native call (here a read from a FIFO nobody writes, which
// worker.terminate() cannot interrupt: on 1.0.0 close() never settled) is given up on after
// TERMINATE_GRACE_MS, with an error logged. And an idle worker plugin does not keep its host alive.

let project: Project;
beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
});
afterEach(() => project.remove());

const timed = async (run: () => Promise<unknown>) => {
  const started = Date.now();
  await run();
  return Date.now() - started;
};

describe('close() settles', () => {
  it('for a process plugin that ignores SIGTERM: killed after the grace, nothing left', async () => {
    project.addPlugin('stubborn', {
      files: {
        'index.js': `console.log('pid=' + process.pid);
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
export const plugin = { greet: (n) => 'Hi ' + n, lang: () => 'x' };`,
      },
    });
    const log = collectingLogger();
    const handle = await loadPlugin('stubborn', {
      cwd: project.dir,
      isolation: 'process',
      contract: greeter,
      logger: log.logger,
    });
    expect(await handle.plugin.greet('a')).toBe('Hi a');
    const took = await timed(() => handle.close());
    await waitFor(() => log.lines.some((l) => l.message === 'ignoring SIGTERM')).catch(() => {});
    expect(log.lines.map((l) => l.message)).toContain('ignoring SIGTERM');
    expect(took).toBeLessThan(10_000);
    for (const pid of printedPids(log.lines)) expect(isAlive(pid)).toBe(false);
  }, 30_000);

  it('for a worker blocked in a native call: given up on after the grace, and reported', async () => {
    const fifo = join(project.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    project.addPlugin('blocked', {
      files: {
        'index.js': `import { readFileSync } from 'node:fs';
export const plugin = { greet: () => readFileSync(${JSON.stringify(fifo)}, 'utf8'), lang: () => 'x' };`,
      },
    });
    const log = collectingLogger();
    const threads = threadCount();
    const handle = await loadPlugin('blocked', {
      cwd: project.dir,
      isolation: 'worker',
      contract: greeter,
      logger: log.logger,
    });
    const call = outcome(handle.plugin.greet('x'));
    await new Promise((r) => setTimeout(r, 200)); // the worker is inside the read now
    const took = await timed(() => handle.close());
    expect(took).toBeGreaterThanOrEqual(TERMINATE_GRACE_MS - 50);
    expect(took).toBeLessThan(TERMINATE_GRACE_MS + 5000);
    expect((await call).error?.code).toBe('ERR_PLUGIN_CLOSED');
    expect(log.lines.find((l) => l.level === 'error')?.message).toMatch(/blocked in a native call/);
    // Release the read: the terminated thread then ends, and nothing is left.
    closeSync(openSync(fifo, 'w'));
    if (threads !== undefined) await waitFor(() => (threadCount() ?? 0) <= threads);
  }, 30_000);
});

describe('an idle worker plugin', () => {
  it('does not keep its host alive: a host that never closes it exits by itself', async () => {
    project.addPlugin('english', {});
    const dist = join(import.meta.dirname, '../../dist/index.js');
    writeFileSync(
      join(project.dir, 'host.mjs'),
      `import { loadPlugin } from ${JSON.stringify(dist)};
const handle = await loadPlugin('english', { cwd: process.cwd(), isolation: 'worker' });
console.log(await handle.plugin.greet('Go'));`,
    );
    const host = spawn(process.execPath, ['host.mjs'], {
      cwd: project.dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    host.stdout!.on('data', (c) => {
      out += c;
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        host.kill('SIGKILL');
        resolve(null);
      }, 15_000);
      host.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out.trim()).toBe('Hello, Go! Nice to meet you.');
    expect(code, 'the host did not exit by itself').toBe(0);
  }, 30_000);
});
