import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { PUBLISHED_DIRS, REPO_ROOT } from './workspace.ts';

/** Not copied: installed or generated state (dist/ is kept: a publish packs it). */
const SKIP = new Set(['node_modules', '.git', '.turbo', 'coverage']);

/**
 * Copies the repo (sources and built dist/) into a temp dir, so that a release rehearsal can
 * rewrite versions and changelogs without touching the work tree.
 *
 * A full `pnpm install` of the copy takes minutes here, so instead: the root node_modules is a
 * link to ours (changesets loads its changelog module from it; nothing in the rehearsal installs),
 * and each published package gets links to its `workspace:` dependencies *in the copy*, as pnpm
 * lays them out: pnpm's publish reads those to turn `workspace:^` into the bumped versions.
 */
export function copyRepo(): { dir: string; remove(): void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'x-e2e-release-')));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    cpSync(REPO_ROOT, dir, { recursive: true, filter: (source) => !SKIP.has(basename(source)) });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const dirOf: Record<string, string> = PUBLISHED_DIRS;
    for (const packageDir of Object.values(PUBLISHED_DIRS)) {
      const manifest = JSON.parse(readFileSync(join(dir, packageDir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const specs = { ...manifest.devDependencies, ...manifest.dependencies };
      for (const [name, spec] of Object.entries(specs)) {
        const target = dirOf[name];
        if (!spec.startsWith('workspace:') || target === undefined) continue;
        const link = join(dir, packageDir, 'node_modules', name);
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(relative(dirname(link), join(dir, target)), link, 'dir');
      }
    }
    return { dir, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
