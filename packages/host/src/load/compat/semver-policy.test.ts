import { describe, expect, it } from 'vitest';
import { compatibleLine, outsideWhere, satisfiesRange } from './semver-policy.js';

describe('the prerelease policy', () => {
  it.each([
    ['1.0.0', '^1.0.0', true],
    ['1.4.2', '^1.3.0', true],
    ['1.0.0', '^1.3.0', false],
    ['2.0.0', '^1.0.0', false],
    // A host on a release candidate sits where semver orders it.
    ['1.2.0-rc.1', '^1.1.0', true],
    ['1.2.0-rc.1', '^1.2.0', false],
    ['1.2.0-rc.1', '^1.2.0-rc.0', true],
    ['2.0.0-rc.1', '^1.1.0', false],
    ['2.0.0-rc.1', '^2.0.0-0', true],
    ['1.0.0', '^1.0.0-rc.1', true],
    ['v20.20.0', '>=20', true],
    ['v20.20.0', '>=22', false],
    ['1.0.0', 'not a range', false],
  ])('%s in %s: %s', (version, range, expected) => {
    expect(satisfiesRange(version, range)).toBe(expected);
  });

  it('tells above from below, to pick the fix', () => {
    expect(outsideWhere('1.0.0', '^2.0.0')).toBe('below');
    expect(outsideWhere('2.0.0', '^1.0.0')).toBe('above');
    expect(outsideWhere('1.5.0', '1.0.x || 2.0.x')).toBe('between');
  });

  it('names compatible lines by the caret rule', () => {
    expect(compatibleLine('1.9.3')).toBe('1.x');
    expect(compatibleLine('2.0.0-rc.1')).toBe('2.x');
    expect(compatibleLine('0.9.3')).toBe('0.9.x');
    expect(compatibleLine('nope')).toBeUndefined();
  });
});
