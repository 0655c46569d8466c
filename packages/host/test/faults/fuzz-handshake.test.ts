import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../fixtures.js';
import { MODES, warmUp } from '../isolation-helpers.js';
import { baseline, Evil, hostileFrame, outcome, runs } from './evil.js';

// Property: whatever a plugin sends before its handshake is ignored (and logged): the load
// succeeds and the plugin answers, or (when the garbage held a handshake of its own) fails with
// ERR_PLUGIN_HANDSHAKE; never another error, and the plugin's process or thread never outlives it.
// Each run starts a plugin, so runs are few in CI (X_FAULT_RUNS raises them in `pnpm soak`).

beforeAll(warmUp);

describe.each(MODES)('%s isolation: garbage before the handshake', (isolation) => {
  it('loads and answers, or fails with ERR_PLUGIN_HANDSHAKE; nothing is left', async () => {
    const project = new Project();
    const evil = new Evil(project);
    const before = baseline();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(hostileFrame, { minLength: 1, maxLength: 12 }), async (prelude) => {
          const env = { EVIL_PRELUDE: JSON.stringify(prelude.map((f) => f.replaceAll('"$ID"', '1'))) };
          const loaded = await outcome(evil.load(isolation, { env }));
          if (loaded.error !== undefined) {
            expect(loaded.error.code).toBe('ERR_PLUGIN_HANDSHAKE');
            return;
          }
          const handle = loaded.value as Awaited<ReturnType<Evil['load']>>;
          expect(await handle.plugin.greet('after garbage')).toBe('Hi after garbage');
          await handle.close();
        }),
        { numRuns: runs(8) },
      );
      const fresh = await evil.load(isolation);
      expect(await fresh.plugin.lang()).toBe('evil');
    } finally {
      const pids = await evil.closeAll();
      await before.check(pids);
      project.remove();
    }
  }, 180_000);
});
