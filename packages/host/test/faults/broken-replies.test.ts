import { MAX_LINE_LENGTH } from '@x/contract/wire';
import { describe, expect, it } from 'vitest';
import { MODES } from '../isolation-helpers.js';
import { outcome, script, useEvil } from './evil.js';

// The faults a fuzzer would rarely build on its own: a plugin that dies in the middle of a reply,
// one that answers a call twice, answers that come after the call was cancelled, a line past the
// length limit. After each: every call settled (a value or a coded PluginError), the same handle
// answers the next call, and nothing is left once it is closed.

const t = useEvil();

describe.each(MODES)('%s isolation', (isolation) => {
  it('dies in the middle of a reply: every call in flight fails ERR_PLUGIN_CRASHED, then it answers again', async () => {
    const handle = await t.evil.load(isolation);
    const inFlight = Array.from({ length: 5 }, () =>
      outcome(handle.call('greet', [script({ answer: 'late', delayMs: 60_000 })])),
    );
    const dying = outcome(handle.call('greet', [script({ exit: 'half' })]));
    const results = await Promise.all([...inFlight, dying]);
    for (const r of results) expect(r.error?.code).toBe('ERR_PLUGIN_CRASHED');
    expect(await handle.plugin.greet('again')).toBe('Hi again');
    expect(handle.restarts).toBe(1);
    expect(handle.state).toBe('running');
  });

  it('answers a call twice: the first answer wins, the second is dropped and logged', async () => {
    const handle = await t.evil.load(isolation);
    const first = await handle.call('greet', [script({ answer: 'twice' })]);
    expect(first).toMatch(/^ok \d+$/);
    expect(await handle.plugin.greet('next')).toBe('Hi next');
    expect(t.evil.problems().some((p) => p.includes('a response to an unknown id'))).toBe(true);
  });

  it('answers after the call was cancelled: the late answer is dropped quietly', async () => {
    const handle = await t.evil.load(isolation);
    const timedOut = await outcome(
      handle.call('greet', [script({ answer: 'late', delayMs: 100 })], { timeout: 1 }),
    );
    expect(timedOut.error?.code).toBe('ERR_PLUGIN_TIMEOUT');
    const controller = new AbortController();
    const aborted = handle.call('greet', [script({ answer: 'late', delayMs: 100 })], {
      signal: controller.signal,
    });
    controller.abort();
    expect((await outcome(aborted)).error?.code).toBe('ERR_PLUGIN_ABORTED');
    // Answered after both late answers (the plugin's timers fire in order, on one pipe or port).
    expect(await handle.call('greet', [script({ answer: 'late', delayMs: 200 })])).toMatch(/^ok \d+$/);
    expect(t.evil.problems().filter((p) => p.includes('unknown id'))).toEqual([]);
    expect(handle.restarts).toBe(0);
  });

  it.runIf(isolation === 'process')(
    'sends a line past MAX_LINE_LENGTH: it is dropped and logged, the answer after it arrives',
    async () => {
      const handle = await t.evil.load(isolation);
      const answer = await handle.call('greet', [script({ oversize: MAX_LINE_LENGTH + 1 })], {
        timeout: 60_000,
      });
      expect(answer).toMatch(/^ok \d+$/);
      expect(t.evil.problems().some((p) => p.includes('over the limit'))).toBe(true);
      expect(await handle.plugin.greet('next')).toBe('Hi next');
    },
    120_000,
  );
});
