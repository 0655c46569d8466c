import { createTwoFilesPatch } from 'diff';
import type { FileChange } from './run-migrations.js';

/**
 * The changes as one unified diff in git's format (a/ and b/ prefixes, /dev/null for a new file),
 * so that `update > template.patch` can be reviewed, and applied with `git apply`.
 */
export function unifiedDiff(changes: readonly FileChange[]): string {
  return changes
    .map(({ path, before, after }) => {
      const patch = createTwoFilesPatch(
        before === undefined ? '/dev/null' : `a/${path}`,
        `b/${path}`,
        before ?? '',
        after,
        undefined,
        undefined,
        { context: 3 },
      );
      // jsdiff opens with a line of "=" signs, which git apply does not need: a git header instead.
      const body = patch.slice(patch.indexOf('--- '));
      return `diff --git a/${path} b/${path}\n${before === undefined ? 'new file mode 100644\n' : ''}${body}`;
    })
    .join('');
}
