import { type MigrationContext, type MigrationResult, NO_CHANGE, type Project } from './migration.js';

// Git may check files out with CRLF on Windows: the same template text either way.
const same = (a: string, b: string) => a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');

/**
 * A config file the template owns whole (tsconfig, tsup, vitest configs): replaced with `next`
 * when it is exactly what an earlier template wrote (`previous`), left alone when it already is
 * `next`, and otherwise (the author edited it, or removed it) a conflict, unless --force.
 */
export function replaceOwnedFile(
  project: Project,
  context: MigrationContext,
  path: string,
  previous: readonly string[],
  next: string,
): MigrationResult {
  const current = project.read(path);
  if (current !== undefined && same(current, next)) return NO_CHANGE;
  const edit = { edits: [{ path, content: next }], conflicts: [] };
  if (current !== undefined && previous.some((p) => same(current, p))) return edit;
  if (context.force) return edit;
  return {
    edits: [],
    conflicts: [
      {
        path,
        reason:
          current === undefined
            ? 'it is missing (the template makes it); it was left missing'
            : 'it differs from what the template wrote (edited by you?); it was left as it is',
      },
    ],
  };
}
