import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dependencyNameProblem, fullNameProblem } from './dependency-name.js';

describe('dependencyNameProblem', () => {
  it.each(['probe-dep', '@x/contract', 'JSONStream', 'lodash.get', 'a_b', '@types/node'])(
    'accepts the package name %s',
    (name) => expect(dependencyNameProblem(name)).toBeUndefined(),
  );

  it.each([
    '..',
    '.',
    '../../../etc',
    '../..',
    '/etc',
    'a/../../b',
    '@../x',
    '@./x',
    '@x/..',
    '@x/../../y',
    'a/b',
    '@x/y/z',
    'a\\..\\b',
    '',
    ' x',
    'node_modules',
    '%2e%2e',
  ])('refuses %j', (name) => expect(dependencyNameProblem(name)).toBeTypeOf('string'));
});

describe('the fast path of dependencyNameProblem', () => {
  // Characters that stress both sides: URL-unsafe ones, separators, dots, scopes, capitals, spaces.
  const piece = fc.stringMatching(/^[a-zA-Z0-9._~!*'()@/\\ %-]{0,12}$/);
  const samples = fc.oneof(
    piece,
    fc.tuple(piece, piece).map(([s, n]) => `@${s}/${n}`),
    fc.constantFrom(
      'node_modules',
      'NODE_MODULES',
      'favicon.ico',
      'Favicon.ICO',
      '_x',
      '@_x/y',
      '@x/_y',
      'x'.repeat(215),
    ),
  );

  it('accepts exactly the names the full check accepts (50,000 generated names)', () => {
    fc.assert(
      fc.property(samples, (name) => {
        expect(dependencyNameProblem(name) === undefined).toBe(fullNameProblem(name) === undefined);
      }),
      { numRuns: 50_000 },
    );
  });
});
