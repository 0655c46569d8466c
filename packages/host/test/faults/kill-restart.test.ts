import { greeter } from '@x/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlugin } from '../../src/index.js';
import { Project } from '../fixtures.js';
import { collectingLogger, MODES, printedPids, waitFor, warmUp } from '../isolation-helpers.js';
import { baseline, outcome } from './evil.js';

// 1,000 calls in flight while the plugin is killed (SIGKILL from outside for a process; a
// process.exit() from inside for a worker, which nothing outside can kill but the host), three
// times over, on a real plugin package served by the host's own bootstrap. Every call settles:
// answered or ERR_PLUGIN_CRASHED; calls made during the restart are answered by the new plugin;
// the same handle answers after, and no process, thread or pipe of the four plugins is left.

const PLUGIN = `console.log('pid=' + process.pid);
export const plugin = {
  greet: (name) => { if (name === 'die') process.exit(7); return 'Hi ' + name; },
  lang: () => 'x',
};`;
const CALLS = 1000;
const ROUNDS = 3;

beforeAll(warmUp);

describe.each(MODES)('%s isolation', (isolation) => {
  it(`${CALLS} concurrent calls while the plugin is killed and restarted, ${ROUNDS} times`, async () => {
    const project = new Project();
    project.addPlugin('mortal', { files: { 'index.js': PLUGIN } });
    const log = collectingLogger();
    const before = baseline();
    const handle = await loadPlugin('mortal', {
      cwd: project.dir,
      isolation,
      contract: greeter,
      logger: log.logger,
      // The default policy stops a plugin at its third crash in 5 minutes; this test kills it three times.
      restart: { maxCrashes: ROUNDS + 1 },
    });
    const codes = new Map<string, number>();
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        await waitFor(() => handle.state === 'running', 60_000);
        const calls: ReturnType<typeof outcome>[] = [];
        for (let i = 0; i < CALLS; i++) {
          if (i === CALLS / 2) {
            if (isolation === 'process') process.kill(handle.pid!, 'SIGKILL');
            else calls.push(outcome(handle.plugin.greet('die')));
          }
          calls.push(outcome(handle.plugin.greet(`${round}.${i}`)));
        }
        for (const r of await Promise.all(calls)) {
          const key = r.error?.code ?? 'answered';
          codes.set(key, (codes.get(key) ?? 0) + 1);
          if (r.error === undefined) expect(r.value).toMatch(/^Hi \d\.\d+$/);
        }
        // Calls made while it restarts wait for the new plugin, and all are answered.
        const during = Array.from({ length: 100 }, (_, i) => handle.plugin.greet(`${round}.${CALLS + i}`));
        expect(new Set(await Promise.all(during)).size).toBe(100);
        expect(handle.restarts).toBe(round);
      }
      // Answered, or lost to a crash: nothing else (which calls a kill catches depends on timing).
      expect([...codes.keys()].every((k) => k === 'answered' || k === 'ERR_PLUGIN_CRASHED')).toBe(true);
      expect([...codes.values()].reduce((a, b) => a + b)).toBe(
        ROUNDS * (isolation === 'worker' ? CALLS + 1 : CALLS),
      );
      expect(await handle.plugin.greet('after')).toBe('Hi after');
      expect(handle.state).toBe('running');
    } finally {
      await handle.close();
      // Each process printed its pid at start (on stdout, a pipe of its own: wait for the last line).
      if (isolation === 'process') await waitFor(() => printedPids(log.lines).length === ROUNDS + 1);
      const pids = printedPids(log.lines);
      await before.check(pids);
      project.remove();
    }
  }, 120_000);
});
