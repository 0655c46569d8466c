import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathContains } from '../permissions/path-contains.js';

/** What npm's lockfile records for one installed package (`packages["node_modules/<name>"]`). */
export interface LockfileEntry {
  /** The lockfile the entry was read from. */
  readonly lockfile: string;
  /** The key of the entry, e.g. `node_modules/greeter-plugin-english`. */
  readonly key: string;
  readonly name?: string;
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly link?: boolean;
}

// npm-shrinkwrap.json wins over package-lock.json when both exist, as in npm itself. pnpm's and
// yarn's are found (the project's lockfile is the nearest of any kind) but not read yet.
const NPM_LOCKFILES = ['npm-shrinkwrap.json', 'package-lock.json'];
const OTHER_LOCKFILES = ['pnpm-lock.yaml', 'yarn.lock'];

const insideNodeModules = (dir: string) => dir.split(sep).includes('node_modules');

/**
 * The host project's own lockfile: the nearest one in `cwd` or a folder above it, never one in a
 * folder inside node_modules (an installed package may ship an npm-shrinkwrap.json that would
 * vouch for anything).
 */
export function findProjectLockfile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (!insideNodeModules(dir)) {
      for (const name of [...NPM_LOCKFILES, ...OTHER_LOCKFILES]) {
        if (existsSync(join(dir, name))) return join(dir, name);
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The host project's lockfile (findProjectLockfile) and its entry for the package installed at
 * `packageDir`. Returns `{ lockfile: undefined }` when there is none, `entry: undefined` when it
 * does not list the package, and a `problem` when it cannot be used. Read by hand (it is plain
 * JSON) rather than with @npmcli/arborist, which would pull npm's whole tree loader into every
 * host for one lookup.
 */
export function findLockfileEntry(
  packageDir: string,
  cwd: string,
): { lockfile: string | undefined; entry: LockfileEntry | undefined; problem?: string } {
  const lockfile = findProjectLockfile(cwd);
  if (lockfile === undefined) return { lockfile, entry: undefined };
  const none = (problem: string) => ({ lockfile, entry: undefined, problem });
  if (!NPM_LOCKFILES.some((name) => lockfile.endsWith(`${sep}${name}`))) {
    return none('the host reads npm lockfiles only (pnpm-lock.yaml and yarn.lock are not read yet)');
  }
  const root = dirname(lockfile);
  if (!pathContains(root, packageDir)) {
    return none(`the plugin at ${packageDir} is not installed inside the project at ${root}`);
  }
  let parsed: { packages?: Record<string, Omit<LockfileEntry, 'lockfile' | 'key'>> };
  try {
    parsed = JSON.parse(readFileSync(lockfile, 'utf8'));
  } catch (error) {
    return none(`it is not JSON (${(error as Error).message})`);
  }
  if (typeof parsed.packages !== 'object' || parsed.packages === null) {
    return none('it has no "packages" map (lockfileVersion 1, from npm 6, is not supported)');
  }
  const key = relative(root, packageDir).split(sep).join('/');
  const found = Object.hasOwn(parsed.packages, key) ? parsed.packages[key] : undefined;
  return { lockfile, entry: found === undefined ? undefined : { ...found, lockfile, key } };
}

/** The package a lockfile entry locks: its `name` (an `npm:` alias), else the folder under the last node_modules. */
export function lockedName(entry: LockfileEntry): string | undefined {
  if (typeof entry.name === 'string') return entry.name;
  const at = entry.key.lastIndexOf('node_modules/');
  return at === -1 ? undefined : entry.key.slice(at + 'node_modules/'.length);
}
