import { describe, expect, it } from 'vitest';
import { chooseIsolations } from './isolations.js';

describe('chooseIsolations', () => {
  it('runs every requested mode when X_PLUGIN_TEST_ISOLATIONS is unset', () => {
    expect(chooseIsolations(undefined, undefined)).toEqual([
      { isolation: 'in-process' },
      { isolation: 'worker' },
      { isolation: 'process' },
    ]);
  });

  it('marks the modes the variable leaves out as skipped, with the reason', () => {
    expect(chooseIsolations(['in-process', 'worker'], 'in-process')).toEqual([
      { isolation: 'in-process' },
      { isolation: 'worker', skipped: 'X_PLUGIN_TEST_ISOLATIONS=in-process leaves "worker" out' },
    ]);
  });

  it('refuses unknown modes, from options or the variable', () => {
    // @ts-expect-error not an isolation
    expect(() => chooseIsolations(['thread'], undefined)).toThrow(/unknown isolation "thread"/);
    expect(() => chooseIsolations(undefined, 'in-process,fork')).toThrow(/unknown isolation "fork"/);
  });
});
