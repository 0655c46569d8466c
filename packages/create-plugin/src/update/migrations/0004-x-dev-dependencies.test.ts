import { describe, expect, it } from 'vitest';
import { CONTEXT, memoryProject } from '../../../test/update-fixture.js';
import { setJson } from '../json-edit.js';
import { xDevDependencies } from './0004-x-dev-dependencies.js';

const v1 = memoryProject('greeter').read('package.json')!;
const run = (pkg: string, generatorVersion: string) =>
  xDevDependencies.apply(memoryProject('greeter', { 'package.json': pkg }), { ...CONTEXT, generatorVersion });
const parsed = (text: string) =>
  JSON.parse(text) as { devDependencies: Record<string, string>; peerDependencies: Record<string, string> };

describe('0004-x-dev-dependencies', () => {
  it('raises the @x/* devDependencies to the generator’s release, and leaves the peer range alone', () => {
    const { edits, conflicts } = run(v1, '1.2.0');
    expect(conflicts).toEqual([]);
    const pkg = parsed(edits[0]!.content);
    expect(pkg.devDependencies).toMatchObject({
      '@x/contract': '^1.2.0',
      '@x/host': '^1.2.0',
      '@x/sdk': '^1.2.0',
      tsup: '~8.5.0',
    });
    expect(pkg.peerDependencies).toEqual({ '@x/contract': '^1.0.0' });
    // Three lines change, nothing else.
    const changed = edits[0]!.content.split('\n').filter((line, i) => line !== v1.split('\n')[i]);
    expect(changed).toEqual([
      '    "@x/contract": "^1.2.0",',
      '    "@x/host": "^1.2.0",',
      '    "@x/sdk": "^1.2.0",',
    ]);
  });

  it('runs on every update (it follows the release, not the template) and changes nothing when current', () => {
    expect(xDevDependencies.always).toBe(true);
    expect(run(v1, '1.0.0')).toEqual({ edits: [], conflicts: [] });
  });

  it('never lowers a range, keeps a ~ pin a ~ pin, and leaves ranges of other forms alone', () => {
    let pkg = setJson(v1, ['devDependencies', '@x/host'], '^2.0.0');
    pkg = setJson(pkg, ['devDependencies', '@x/sdk'], 'workspace:^');
    pkg = setJson(pkg, ['devDependencies', '@x/contract'], '~1.0.1');
    const deps = parsed(run(pkg, '1.3.0').edits[0]!.content).devDependencies;
    expect(deps).toMatchObject({ '@x/host': '^2.0.0', '@x/sdk': 'workspace:^', '@x/contract': '~1.3.0' });
  });
});
