import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallOptions } from '../../src/index.js';
import { Project } from '../fixtures.js';
import { MODES, warmUp } from '../isolation-helpers.js';
import { baseline, Evil, hostileCall, outcome, runs, script } from './evil.js';

// Property: whatever a plugin sends around its answers (not JSON, JSON that is no message, every
// field of the wrong type, truncated answers, early and duplicate answers, answers to unknown ids,
// answers after the call was cancelled, batches), every call settles with a value or a coded
// PluginError, the same plugin answers the next call, and nothing is left once it is closed.
// One plugin serves a whole property run: the host must survive the whole sequence, not one fault.

beforeAll(warmUp);

describe.each(MODES)('%s isolation: hostile frames around answers', (isolation) => {
  it('every call settles (value or coded PluginError), and the next call is answered', async () => {
    const project = new Project();
    const evil = new Evil(project);
    const before = baseline();
    try {
      // A slow health answer on a busy machine must not count as a hang: a timeout triggers one.
      const handle = await evil.load(isolation, { healthTimeout: 10_000 });
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(fc.array(hostileCall, { minLength: 1, maxLength: 4 }), async (calls) => {
          const results = await Promise.all(
            calls.map((c) => {
              const options: CallOptions = {};
              let timer: NodeJS.Timeout | undefined;
              if (c.stop === 'timeout' || (c.stop === 'wait' && c.answer === 'none')) {
                Object.assign(options, { timeout: 5 + c.delayMs });
              } else if (c.stop === 'abort') {
                const controller = new AbortController();
                Object.assign(options, { signal: controller.signal });
                timer = setTimeout(() => controller.abort(), c.delayMs);
              }
              const call = handle.call('greet', [script(c)], options);
              return outcome(call).finally(() => clearTimeout(timer));
            }),
          );
          for (const r of results) {
            if (r.error === undefined) expect(typeof r.value).toBe('string');
            seen.add(r.error?.code ?? 'value');
          }
          // The same handle answers the next call (after a restart, if the faults looked like a hang).
          expect(await handle.call('greet', ['next'], { timeout: 30_000 })).toBe('Hi next');
        }),
        { numRuns: runs(25) },
      );
      // Both kinds of outcome were met (dozens of calls: one of each is all but certain).
      expect(seen).toContain('value');
      expect(seen).toContain('ERR_PLUGIN_TIMEOUT');
      expect(evil.problems().length).toBeGreaterThan(0);
      expect(evil.problems().every((p) => p.startsWith('Protocol: '))).toBe(true);
      expect(handle.state).toBe('running');
    } finally {
      const pids = await evil.closeAll();
      await before.check(pids);
      project.remove();
    }
  }, 180_000);
});
