import { getPath, parseJson, setJson } from '../json-edit.js';
import type { FileEdit, Migration } from '../migration.js';
import { compareVersions } from '../template-version.js';

const X_PACKAGES = ['@x/contract', '@x/host', '@x/sdk'];
// What the template writes (`^<version>`), or an exact or `~` pin of a plain version.
const PLAIN_RANGE = /^([\^~]?)(\d+\.\d+\.\d+)$/;

/**
 * The @x/* devDependencies (what the plugin builds and tests with) follow this generator's
 * release, as a new project's do: `^1.0.0` becomes `^<this version>`. Never lowered, and a range
 * of another form (`workspace:`, `file:`, a tag) is the author's choice, left alone. The peer
 * range of @x/contract is not touched: it is the plugin's promise to its hosts, and raising it
 * would drop hosts it works with today.
 */
export const xDevDependencies: Migration = {
  id: '0004-x-dev-dependencies',
  description: "raise the @x/* devDependencies to this generator's release",
  from: '1.0.0',
  to: '1.1.0',
  always: true,
  apply(project, { generatorVersion }) {
    let text = project.read('package.json')!;
    for (const name of X_PACKAGES) {
      const range = getPath(parseJson(text), ['devDependencies', name]);
      const match = typeof range === 'string' ? PLAIN_RANGE.exec(range) : null;
      if (match === null || compareVersions(match[2]!, generatorVersion) >= 0) continue;
      text = setJson(text, ['devDependencies', name], `${match[1]}${generatorVersion}`);
    }
    const edits: FileEdit[] =
      text === project.read('package.json') ? [] : [{ path: 'package.json', content: text }];
    return { edits, conflicts: [] };
  },
};
