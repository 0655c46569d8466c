import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type GitResult =
  | { readonly status: 'committed' }
  | { readonly status: 'skipped' | 'initialized'; readonly reason: string };

const git = (dir: string, args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });

const LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'];

/**
 * `git init` and a first commit of exactly the generated files (and the lockfile, if the install
 * made one): with --force in an existing folder, the user's other files are never committed.
 * Skipped inside an existing repository, where a nested one would surprise.
 */
export function initGit(dir: string, files: readonly string[]): GitResult {
  const inside = git(dir, ['rev-parse', '--is-inside-work-tree']);
  if (inside.error !== undefined) return { status: 'skipped', reason: 'git is not installed' };
  if (inside.status === 0)
    return { status: 'skipped', reason: 'the folder is already inside a git repository' };
  const init = git(dir, ['init', '-q']);
  if (init.status !== 0) return { status: 'skipped', reason: `git init failed: ${init.stderr.trim()}` };
  const lockfiles = LOCKFILES.filter((f) => existsSync(join(dir, f)));
  const add = git(dir, ['add', '--', ...files, ...lockfiles]);
  const commit =
    add.status === 0 ? git(dir, ['commit', '-q', '-m', 'Initial commit from create-greeter-plugin']) : add;
  if (commit.status !== 0) {
    return {
      status: 'initialized',
      reason: `the first commit failed (${commit.stderr.trim().split('\n')[0]}); commit by hand`,
    };
  }
  return { status: 'committed' };
}
