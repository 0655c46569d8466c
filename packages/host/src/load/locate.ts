import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { notFound } from '../errors.js';
import { dependencyNameProblem } from '../permissions/dependency-name.js';

/** Whether a plugin spec names a path rather than a package. */
export function isPathSpec(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('file:') || isAbsolute(spec) || /^[a-zA-Z]:[\\/]/.test(spec);
}

/**
 * Finds the folder of a plugin package, by path or by package name, without running anything.
 * Package names are looked up the way Node does, in each node_modules from `cwd` up to the root;
 * written by hand because require.resolve needs the package's entry to be resolvable, and an
 * unbuilt or broken plugin must still be found so that its real fault can be reported.
 */
export function locate(spec: string, cwd: string): string {
  if (isPathSpec(spec)) {
    const path = spec.startsWith('file:') ? fileURLToPath(spec) : resolve(cwd, spec);
    // One stat, not existsSync and then stat (a path to a plugin folder is the usual spec).
    const dir = statSync(path, { throwIfNoEntry: false })?.isFile() === true ? dirname(path) : path;
    if (!existsSync(join(dir, 'package.json'))) {
      throw notFound(
        spec,
        `There is no package.json at ${dir}.`,
        'Pass the path of a plugin package folder (the one that holds its package.json).',
      );
    }
    return dir;
  }
  // A name is joined to node_modules folders below: `foo/../../x` would reach out of them.
  const problem = dependencyNameProblem(spec);
  if (problem !== undefined) {
    throw notFound(
      spec,
      `"${spec}" is neither a path (./, ../, /, file:) nor an npm package name: it ${problem}.`,
      'Pass the package name as npm spells it (greeter-plugin-english, @scope/name), or a path to its folder.',
    );
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', spec);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw notFound(spec, `It is not installed in any node_modules folder from ${resolve(cwd)} up.`);
}
