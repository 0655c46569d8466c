import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

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

// npm-shrinkwrap.json wins over package-lock.json when both exist, as in npm itself.
const LOCKFILES = ['npm-shrinkwrap.json', 'package-lock.json'];

/**
 * Finds the npm lockfile nearest above an installed package and its entry for that package.
 * Returns `{ lockfile: undefined }` when there is none, and `entry: undefined` when the lockfile
 * does not list the package. Read by hand (it is plain JSON) rather than with @npmcli/arborist,
 * which would pull npm's whole tree loader into every host for one lookup.
 */
export function findLockfileEntry(packageDir: string): {
  lockfile: string | undefined;
  entry: LockfileEntry | undefined;
  problem?: string;
} {
  for (let dir = dirname(packageDir); ; dir = dirname(dir)) {
    for (const name of LOCKFILES) {
      const lockfile = join(dir, name);
      if (!existsSync(lockfile)) continue;
      const key = relative(dir, packageDir).split(sep).join('/');
      let parsed: { packages?: Record<string, Omit<LockfileEntry, 'lockfile' | 'key'>> };
      try {
        parsed = JSON.parse(readFileSync(lockfile, 'utf8'));
      } catch (error) {
        return { lockfile, entry: undefined, problem: `it is not JSON (${(error as Error).message})` };
      }
      if (typeof parsed.packages !== 'object' || parsed.packages === null) {
        return {
          lockfile,
          entry: undefined,
          problem: 'it has no "packages" map (lockfileVersion 1, from npm 6, is not supported)',
        };
      }
      const found = parsed.packages[key];
      return { lockfile, entry: found === undefined ? undefined : { ...found, lockfile, key } };
    }
    if (dirname(dir) === dir) return { lockfile: undefined, entry: undefined };
  }
}
