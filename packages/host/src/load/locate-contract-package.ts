import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { AnyContract, PluginError } from '@x/contract';
import type { PluginPackage } from '../manifest.js';
import { incompatible } from './compat/problems.js';
import { outsideWhere, satisfiesRange } from './compat/semver-policy.js';

/** `xPlugin.contract` in its package form: `"<package>"` or `"<package>#<export>"`. */
export interface ContractRef {
  readonly package: string;
  /** The export holding the contract; when absent, the package's only contract export. */
  readonly export: string | undefined;
}

/** An installed contract package, found from the plugin's own folder (as Node would find it). */
export interface ContractPackage {
  readonly ref: ContractRef;
  readonly dir: string;
  readonly version: string;
  /** The file `import()` loads. */
  readonly entry: string;
  /** The plugin's `peerDependencies[<package>]`. */
  readonly range: string | undefined;
}

const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

/**
 * Reads `xPlugin.contract` as a package reference, or undefined for a bare contract name that the
 * host knows (built-in, registered, or the `contract` passed to load): those keep their v1 meaning.
 */
export function contractRef(
  name: string,
  known: Readonly<Record<string, AnyContract>>,
): ContractRef | undefined {
  const hash = name.indexOf('#');
  if (hash < 0 && Object.hasOwn(known, name)) return undefined;
  const pkg = hash < 0 ? name : name.slice(0, hash);
  const exportName = hash < 0 ? undefined : name.slice(hash + 1);
  if (!PACKAGE_NAME.test(pkg) || exportName === '') return undefined;
  return { package: pkg, export: exportName };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The folder of `name` under the nearest node_modules from `from`, walking up like Node does. */
export function findPackageDir(name: string, from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The `import` entry of a package: exports["."] (import or default condition), module, main. */
export function entryOf(dir: string, json: Record<string, unknown>): string {
  const exp = json.exports;
  const dot = isRecord(exp) && '.' in exp ? exp['.'] : exp;
  const pick = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (isRecord(v)) return pick(v.import) ?? pick(v.node) ?? pick(v.default);
    return undefined;
  };
  const rel =
    pick(dot) ??
    (typeof json.module === 'string' ? json.module : undefined) ??
    (typeof json.main === 'string' ? json.main : 'index.js');
  return join(dir, rel);
}

/**
 * Finds the contract package a plugin names, from the plugin's folder, without importing it, and
 * checks the plugin's peer range against the installed version (as for `@x/contract`).
 */
export function locateContractPackage(pkg: PluginPackage, ref: ContractRef): ContractPackage | PluginError {
  const peers = pkg.packageJson.peerDependencies;
  const range =
    isRecord(peers) && typeof peers[ref.package] === 'string' ? (peers[ref.package] as string) : undefined;
  let dir = findPackageDir(ref.package, pkg.dir);
  if (dir === undefined) {
    try {
      dir = dirname(createRequire(join(pkg.dir, 'package.json')).resolve(`${ref.package}/package.json`));
    } catch {
      dir = undefined;
    }
  }
  if (dir === undefined) {
    return incompatible(
      pkg.name,
      'contract-package',
      {
        what: `Plugin "${pkg.name}" implements the contract of the package "${ref.package}", which is not installed.`,
        why: `No ${ref.package} was found from ${pkg.dir}, so the host cannot read the contract.`,
        fix: `Install it in the host's project: npm install ${ref.package}${range === undefined ? '' : `@"${range}"`}.`,
        required: range ?? ref.package,
        actual: 'not installed',
      },
      { contractPackage: ref.package },
    );
  }
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    json = isRecord(parsed) ? parsed : {};
  } catch {
    json = {};
  }
  const version = typeof json.version === 'string' ? json.version : '0.0.0';
  if (range === undefined) {
    return incompatible(
      pkg.name,
      'contract-package',
      {
        what: `Plugin "${pkg.name}" names the contract package "${ref.package}" but has no peerDependencies["${ref.package}"].`,
        why: 'Without a peer range, neither npm nor the host can tell which versions of the contract it was written for.',
        fix: `Add "peerDependencies": { "${ref.package}": "^${version}" } to the plugin's package.json.`,
        required: `peerDependencies["${ref.package}"]`,
        actual: 'missing',
      },
      { contractPackage: ref.package },
    );
  }
  if (!satisfiesRange(version, range)) {
    const where = outsideWhere(version, range);
    return incompatible(
      pkg.name,
      'contract-package',
      {
        what: `Plugin "${pkg.name}" requires ${ref.package} ${range}, but ${version} is installed.`,
        why:
          where === 'below'
            ? 'The plugin was written for a newer release of the contract than the one installed.'
            : 'The plugin was written for another release line of the contract than the one installed.',
        fix: `Install ${ref.package}@"${range}" in the host's project, or a release of ${pkg.name} whose peerDependencies["${ref.package}"] includes ${version}.`,
        required: range,
        actual: version,
      },
      { contractPackage: ref.package },
    );
  }
  return { ref, dir, version, entry: entryOf(dir, json), range };
}
