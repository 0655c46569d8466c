import { describe, expect, it } from 'vitest';
import { CONTEXT, memoryProject } from '../../../test/update-fixture.js';
import { gitignoreCpuprofile } from './0002-gitignore-cpuprofile.js';

const run = (gitignore: string | undefined, force = false) =>
  gitignoreCpuprofile.apply(memoryProject('greeter', { '.gitignore': gitignore }), { ...CONTEXT, force });

describe('0002-gitignore-cpuprofile', () => {
  it('appends *.cpuprofile to the 1.0 .gitignore', () => {
    const before = memoryProject('greeter').read('.gitignore')!;
    expect(run(before)).toEqual({
      edits: [{ path: '.gitignore', content: `${before}*.cpuprofile\n` }],
      conflicts: [],
    });
  });

  it('keeps the author’s own lines, line ends and a missing final newline', () => {
    expect(run('node_modules\r\n.env').edits[0]!.content).toBe('node_modules\r\n.env\r\n*.cpuprofile\r\n');
    expect(run('').edits[0]!.content).toBe('*.cpuprofile\n');
  });

  it('does nothing when the line is there, wherever it is', () => {
    expect(run('*.cpuprofile\nnode_modules\n')).toEqual({ edits: [], conflicts: [] });
    expect(run('  *.cpuprofile  \n')).toEqual({ edits: [], conflicts: [] });
  });

  it('reports a removed .gitignore, and writes one with --force', () => {
    expect(run(undefined).conflicts).toEqual([
      { path: '.gitignore', reason: 'it is missing (the template makes it); it was left missing' },
    ]);
    expect(run(undefined, true).edits).toEqual([{ path: '.gitignore', content: '*.cpuprofile\n' }]);
  });
});
