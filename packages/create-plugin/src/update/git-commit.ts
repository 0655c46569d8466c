import { spawnSync } from 'node:child_process';
import { CreateError } from '../errors.js';

const git = (dir: string, args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });

function gitError(what: string, why: string, fix: string): CreateError {
  return new CreateError({ code: 'ERR_CREATE_UPDATE_GIT', what, why, fix });
}

/**
 * --commit needs a repository and a clean work tree, checked before anything is written: the
 * commit must hold the template's changes and nothing of the author's, and a refusal must leave
 * the project as it was.
 */
export function checkCanCommit(dir: string): void {
  const inside = git(dir, ['rev-parse', '--is-inside-work-tree']);
  if (inside.error !== undefined || inside.status !== 0) {
    throw gitError(
      `--commit needs a git repository, and ${dir} is not in one.`,
      inside.error !== undefined ? 'git is not installed.' : (inside.stderr.trim().split('\n')[0] ?? ''),
      'Run without --commit (print the diff, or apply it with --write), or git init and commit first.',
    );
  }
  const status = git(dir, ['status', '--porcelain']);
  if (status.status !== 0 || status.stdout.trim() !== '') {
    const files = status.stdout.trim().split('\n').slice(0, 5).join(', ');
    throw gitError(
      `--commit refuses a work tree with uncommitted changes; nothing was written.`,
      `git status lists: ${files}. The update's commit must hold the template's changes only.`,
      'Commit or stash your changes first, or use --write and commit by hand.',
    );
  }
}

/** Stages exactly the files the update wrote and commits them. */
export function commitUpdate(dir: string, files: readonly string[], message: string): void {
  const add = git(dir, ['add', '--', ...files]);
  const commit = add.status === 0 ? git(dir, ['commit', '-q', '-m', message]) : add;
  if (commit.status !== 0) {
    throw gitError(
      'The update was written, but git could not commit it.',
      (commit.stderr || commit.stdout).trim().split('\n')[0] ?? '',
      'The changed files are in place: review them (git diff) and commit by hand.',
    );
  }
}
