import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTEXT, memoryProject } from '../../../test/update-fixture.js';
import { TEMPLATE_ROOT } from '../../templates.js';
import { tsupSourcemap, V1_1 } from './0003-tsup-sourcemap.js';

const v1 = memoryProject('greeter').read('tsup.config.ts')!;
const run = (text: string | undefined, force = false) =>
  tsupSourcemap.apply(memoryProject('greeter', { 'tsup.config.ts': text }), { ...CONTEXT, force });

describe('0003-tsup-sourcemap', () => {
  it('replaces the 1.0 tsup.config.ts with one that builds source maps', () => {
    const { edits, conflicts } = run(v1);
    expect(conflicts).toEqual([]);
    expect(edits).toEqual([{ path: 'tsup.config.ts', content: V1_1 }]);
    expect(V1_1).toContain('  sourcemap: true,\n');
  });

  it('writes what the current template writes (until a later migration changes the file)', () => {
    expect(readFileSync(join(TEMPLATE_ROOT, 'common', 'tsup.config.ts'), 'utf8')).toBe(V1_1);
  });

  it('takes the 1.0 file with CRLF line ends as the 1.0 file', () => {
    expect(run(v1.replace(/\n/g, '\r\n')).edits).toHaveLength(1);
  });

  it('does nothing to a file that already is the new one', () => {
    expect(run(V1_1)).toEqual({ edits: [], conflicts: [] });
  });

  it('leaves an edited or removed file alone, as a conflict; --force writes the template’s', () => {
    const edited = v1.replace("target: 'node20'", "target: 'node22'");
    expect(run(edited)).toEqual({
      edits: [],
      conflicts: [
        {
          path: 'tsup.config.ts',
          reason: 'it differs from what the template wrote (edited by you?); it was left as it is',
        },
      ],
    });
    expect(run(undefined).conflicts[0]!.reason).toContain('it is missing');
    expect(run(edited, true).edits).toEqual([{ path: 'tsup.config.ts', content: V1_1 }]);
  });
});
