import { type Migration, NO_CHANGE } from '../migration.js';

const LINE = '*.cpuprofile';

/**
 * CPU profiles (the host's `profileOnHang`, `node --cpu-prof`) land in the project: keep them out
 * of git. A .gitignore is the author's as much as the template's, so a missing line is added to
 * whatever else it says, and an edited one is never a conflict.
 */
export const gitignoreCpuprofile: Migration = {
  id: '0002-gitignore-cpuprofile',
  description: `ignore CPU profiles (${LINE}) in .gitignore`,
  from: '1.0.0',
  to: '1.1.0',
  apply(project, { force }) {
    const text = project.read('.gitignore');
    if (text === undefined) {
      if (!force) {
        return {
          edits: [],
          conflicts: [
            { path: '.gitignore', reason: 'it is missing (the template makes it); it was left missing' },
          ],
        };
      }
      return { edits: [{ path: '.gitignore', content: `${LINE}\n` }], conflicts: [] };
    }
    const lines = text.split(/\r?\n/).map((l) => l.trim());
    if (lines.includes(LINE)) return NO_CHANGE;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const base = text === '' || text.endsWith('\n') ? text : `${text}${eol}`;
    return { edits: [{ path: '.gitignore', content: `${base}${LINE}${eol}` }], conflicts: [] };
  },
};
