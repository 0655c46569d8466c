import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

function dependencyNames(dir: string): string[] {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    return DEPENDENCY_FIELDS.flatMap((f) =>
      Object.keys((pkg[f] as Record<string, string> | undefined) ?? {}),
    );
  } catch {
    return [];
  }
}

/**
 * Node's node_modules lookup for a package folder (not a file: a dependency's `exports` may hide
 * its package.json from require.resolve). Starts at `from`, which must be a real path, because
 * Node resolves a module's imports from its real path.
 */
function findPackage(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The folder holding the package.json nearest above `file`: the package a script belongs to. */
export function packageRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

/**
 * Every folder a package needs to read to import itself and its declared dependencies,
 * transitively: each package both at the path it was found by (a pnpm or workspace symlink, which
 * Node's permission check sees) and at its real path (which Node then reads). An undeclared
 * ("phantom") dependency is not included, so a plugin must declare what it imports.
 * `withRoot: false` leaves out the root package itself (only its dependencies).
 */
export function readClosure(root: string, { withRoot = true } = {}): string[] {
  const allowed = new Set<string>();
  const seen = new Set<string>();
  const queue = [root];
  while (queue.length > 0) {
    const found = queue.shift()!;
    const real = realpathSync(found);
    if (withRoot || found !== root) allowed.add(found).add(real);
    if (seen.has(real)) continue;
    seen.add(real);
    for (const name of dependencyNames(real)) {
      const dep = findPackage(real, name);
      if (dep !== undefined) queue.push(dep);
    }
  }
  return [...allowed];
}
