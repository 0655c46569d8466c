import { getPath, parseJson, setJson } from '../json-edit.js';
import { type Migration, NO_CHANGE } from '../migration.js';

const SCRIPT = 'tsup --watch';

/** `npm run dev` rebuilds on every save, which is what `x-plugin dev` and a watched host reload. */
export const devScript: Migration = {
  id: '0001-dev-script',
  description: `add a "dev" script (${SCRIPT}): rebuild on every save`,
  from: '1.0.0',
  to: '1.1.0',
  apply(project, { force }) {
    const text = project.read('package.json')!;
    const current = getPath(parseJson(text), ['scripts', 'dev']);
    if (current === SCRIPT) return NO_CHANGE;
    if (current !== undefined && !force) {
      return {
        edits: [],
        conflicts: [
          {
            path: 'package.json',
            reason: `scripts.dev is already ${JSON.stringify(current)} (yours); the template's is "${SCRIPT}"`,
          },
        ],
      };
    }
    return {
      edits: [{ path: 'package.json', content: setJson(text, ['scripts', 'dev'], SCRIPT, 'build') }],
      conflicts: [],
    };
  },
};
