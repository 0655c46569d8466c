import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Registry, startRegistry } from '../src/registry.ts';
import { copyRepo } from '../src/repo-copy.ts';
import { run } from '../src/run.ts';
import { PUBLISHED, PUBLISHED_DIRS, REPO_ROOT, readVersion } from '../src/workspace.ts';

// A rehearsal of the release that CI's changesets action performs, in a copy of the repo:
// a changeset → `changeset version` → `pnpm publish -r --dry-run`. The registry is only asked
// which versions exist, so the dry run can decide what it would publish; nothing is uploaded.

const CHANGESET_BIN = join(REPO_ROOT, 'node_modules', '@changesets', 'cli', 'bin.js');
const PRIVATE_DIRS = ['examples/host-app', 'examples/greeter-english', 'e2e'];

const workTreeVersions = () => PUBLISHED.map((name) => readVersion(REPO_ROOT, PUBLISHED_DIRS[name]));
const workTreeBefore = workTreeVersions();

let registry: Registry;
let copy: { dir: string; remove(): void };

beforeAll(async () => {
  registry = await startRegistry();
  copy = copyRepo();
}, 60_000);

afterAll(async () => {
  copy?.remove();
  await registry?.close();
});

it('bumps the fixed group together on one changeset, and a dry-run publish of the result succeeds', async () => {
  const before = Object.fromEntries(
    PUBLISHED.map((name) => [name, readVersion(copy.dir, PUBLISHED_DIRS[name])]),
  );
  const privateBefore = PRIVATE_DIRS.map((dir) => readVersion(copy.dir, dir));

  // Only the sample changeset, whatever is pending in the work tree, so the outcome is known.
  const changesets = join(copy.dir, '.changeset');
  for (const file of readdirSync(changesets)) if (file.endsWith('.md')) rmSync(join(changesets, file));
  writeFileSync(join(changesets, 'sample-minor.md'), '---\n"@x/host": minor\n---\n\nA sample feature.\n');

  // The root's own changesets, run directly: `pnpm exec` in the copy stalls for minutes here.
  await run(process.execPath, [CHANGESET_BIN, 'version'], { cwd: copy.dir, env: registry.env });

  for (const name of PUBLISHED) {
    const dir = PUBLISHED_DIRS[name];
    // One minor changeset on @x/host moves all four: they are one `fixed` group.
    expect(readVersion(copy.dir, dir), name).toBe(bumpMinor(before[name]!));
    expect(readFileSync(join(copy.dir, dir, 'CHANGELOG.md'), 'utf8')).toContain(
      `## ${bumpMinor(before[name]!)}`,
    );
  }
  const hostChangelog = readFileSync(join(copy.dir, PUBLISHED_DIRS['@x/host'], 'CHANGELOG.md'), 'utf8');
  expect(hostChangelog).toContain('A sample feature.');
  // Private packages are not versioned (privatePackages.version: false).
  expect(PRIVATE_DIRS.map((dir) => readVersion(copy.dir, dir))).toEqual(privateBefore);
  expect(existsSync(join(changesets, 'sample-minor.md'))).toBe(false);

  const { stdout, stderr } = await run(
    'pnpm',
    ['publish', '-r', '--dry-run', '--no-git-checks', '--registry', registry.url],
    { cwd: copy.dir, env: registry.env },
  );
  const output = stdout + stderr;
  for (const name of PUBLISHED) expect(output).toContain(`${name}@${bumpMinor(before[name]!)}`);
  for (const name of ['host-app', 'greeter-plugin-english', 'e2e']) expect(output).not.toContain(`${name}@`);

  // A dry run uploads nothing.
  const view = await run('npm', ['view', '@x/host', '--registry', registry.url], {
    cwd: copy.dir,
    env: registry.env,
    allowFailure: true,
  });
  expect(view.code).not.toBe(0);
});

it('left the work tree as it was', () => {
  expect(workTreeVersions()).toEqual(workTreeBefore);
  for (const name of PUBLISHED)
    expect(existsSync(join(REPO_ROOT, PUBLISHED_DIRS[name], 'CHANGELOG.md'))).toBe(false);
});

function bumpMinor(version: string): string {
  const next = semver.inc(version, 'minor');
  if (next === null) throw new Error(`Not a semver version: ${version}`);
  return next;
}
