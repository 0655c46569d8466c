import { describe, expect, it } from 'vitest';
import { dependencyNameProblem } from './dependency-name.js';

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
