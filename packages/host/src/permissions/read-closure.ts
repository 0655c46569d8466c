import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { PluginError } from '@x/contract';
import { badManifest } from '../errors.js';
import { dependencyNameProblem } from './dependency-name.js';
import { pathContains } from './path-contains.js';

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

interface Dependency {
  /** The key in package.json: the folder name under node_modules. */
  readonly name: string;
  /** The package that must be in that folder: the key, or the target of an `npm:` alias. */
  readonly expect: string;
}

function readJson(dir: string): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The declared dependencies of the package in `dir`. Every name is checked before it is joined
 * to a path: a name such as `../..` would otherwise grant the folder two levels up.
 */
function dependencies(dir: string, plugin: string, isRoot: boolean): Dependency[] {
  const json = readJson(dir);
  if (json === undefined) return [];
  return DEPENDENCY_FIELDS.flatMap((field) => {
    const deps = json[field];
    if (typeof deps !== 'object' || deps === null) return [];
    return Object.entries(deps as Record<string, unknown>).map(([name, spec]) => {
      const problem = dependencyNameProblem(name);
      if (problem !== undefined) {
        const where = isRoot ? '' : ` (in ${join(dir, 'package.json')}, a dependency of the plugin)`;
        throw badManifest(
          plugin,
          `${field}[${JSON.stringify(name)}]`,
          `${problem}${where}, so it cannot be granted as a dependency to read`,
          'Name each dependency by its npm package name (such as "lodash" or "@scope/name"); report the plugin if it ships such a name.',
        );
      }
      const alias = typeof spec === 'string' ? /^npm:((?:@[^/@]+\/)?[^/@]+)@/.exec(spec)?.[1] : undefined;
      return { name, expect: alias ?? name };
    });
  });
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

function unsafeDependency(plugin: string, dep: Dependency, found: string, real: string, why: string) {
  return new PluginError({
    code: 'ERR_PLUGIN_PERMISSION',
    plugin,
    what: `Plugin "${plugin}" cannot be sandboxed: its dependency "${dep.name}" at ${found} resolves to ${real}, ${why}.`,
    why: 'Under permissions the plugin may read its dependencies, so each must be a real package folder of that name; this one would let it read far more.',
    fix: `Reinstall the plugin's dependencies (npm ci) so that ${found} holds the package "${dep.expect}"; report the plugin if it ships this link.`,
    details: { dependency: dep.name, path: found, realPath: real },
  });
}

export interface ReadClosureOptions {
  /** Leave out the root package itself (only its dependencies). */
  readonly withRoot?: boolean;
  /** The plugin's name, for errors (default: the root package.json's name). */
  readonly plugin?: string;
  /**
   * Paths no granted folder may contain (the host's cwd, the home folder): a dependency that
   * resolves to one of them, or to a parent of one, is refused with ERR_PLUGIN_PERMISSION.
   */
  readonly protect?: readonly string[];
}

/**
 * Every folder a package needs to read to import itself and its declared dependencies,
 * transitively: each package both at the path it was found by (a pnpm or workspace symlink, which
 * Node's permission check sees) and at its real path (which Node then reads). An undeclared
 * ("phantom") dependency is not included, so a plugin must declare what it imports. A dependency
 * name that is not a package name is ERR_PLUGIN_MANIFEST; a dependency folder that is not a
 * package of that name, or that holds the plugin or a protected path, is ERR_PLUGIN_PERMISSION.
 */
export function readClosure(root: string, options: ReadClosureOptions = {}): string[] {
  const { withRoot = true } = options;
  const rootReal = realpathSync(root);
  const rootName = readJson(root)?.name;
  const plugin = options.plugin ?? (typeof rootName === 'string' ? rootName : basename(root));
  const protect = [...(options.protect ?? [process.cwd(), homedir()]), rootReal].map((p) => resolve(p));
  const allowed = new Set<string>();
  const seen = new Set<string>();
  if (withRoot) allowed.add(root).add(rootReal);
  const queue: string[] = [rootReal];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    for (const dep of dependencies(dir, plugin, dir === rootReal)) {
      const found = findPackage(dir, dep.name);
      if (found === undefined) continue;
      const real = realpathSync(found);
      const held = protect.find((p) => pathContains(real, p));
      if (held !== undefined) {
        const what = held === rootReal ? 'which holds the plugin itself' : `which holds ${held}`;
        throw unsafeDependency(plugin, dep, found, real, dirname(real) === real ? 'the root folder' : what);
      }
      const name = readJson(real)?.name;
      if (name !== dep.expect) {
        const why = `whose package.json is ${name === undefined ? 'unreadable' : `named ${JSON.stringify(name)}`}, not "${dep.expect}"`;
        throw unsafeDependency(plugin, dep, found, real, why);
      }
      allowed.add(found).add(real);
      queue.push(real);
    }
  }
  return [...allowed];
}
