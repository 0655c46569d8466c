import { describe, expect, it } from 'vitest';
import { CONTEXT, memoryProject } from '../../../test/update-fixture.js';
import { setJson } from '../json-edit.js';
import { devScript } from './0001-dev-script.js';

const pkg = (project: ReturnType<typeof memoryProject>) => project.read('package.json')!;

describe('0001-dev-script', () => {
  it('adds "dev": "tsup --watch" right after "build", changing no other line', () => {
    const project = memoryProject('greeter');
    const { edits, conflicts } = devScript.apply(project, CONTEXT);
    expect(conflicts).toEqual([]);
    expect(edits).toHaveLength(1);
    const before = pkg(project).split('\n');
    const after = edits[0]!.content.split('\n');
    const at = before.indexOf('    "build": "tsup",');
    expect(after).toEqual([
      ...before.slice(0, at + 1),
      '    "dev": "tsup --watch",',
      ...before.slice(at + 1),
    ]);
  });

  it('does nothing to a project that has it', () => {
    const project = memoryProject('greeter');
    const once = devScript.apply(project, CONTEXT).edits[0]!.content;
    expect(devScript.apply(memoryProject('greeter', { 'package.json': once }), CONTEXT)).toEqual({
      edits: [],
      conflicts: [],
    });
  });

  it('reports the author’s own "dev" script as a conflict and keeps it; --force replaces it', () => {
    const mine = setJson(pkg(memoryProject('greeter')), ['scripts', 'dev'], 'vite');
    const project = memoryProject('greeter', { 'package.json': mine });
    const result = devScript.apply(project, CONTEXT);
    expect(result.edits).toEqual([]);
    expect(result.conflicts).toEqual([
      {
        path: 'package.json',
        reason: 'scripts.dev is already "vite" (yours); the template\'s is "tsup --watch"',
      },
    ]);
    const forced = devScript.apply(project, { ...CONTEXT, force: true });
    expect(JSON.parse(forced.edits[0]!.content).scripts.dev).toBe('tsup --watch');
  });
});
