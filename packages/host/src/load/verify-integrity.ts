import { integrityMismatch } from '../errors.js';
import { computeIntegrity, unpinnableEntries } from '../integrity/compute-integrity.js';
import { findLockfileEntry, lockedName } from '../integrity/lockfile-entry.js';
import type { PluginPackage } from '../manifest.js';

/**
 * A pin for a plugin's contents: one or more SRI hashes (`sha512-<base64>`, space-separated, any
 * one may match) from computeIntegrity(), or `'lockfile'`: the installed name and version must be
 * those the host project's npm lockfile records, with a registry integrity. See docs/security.md
 * for what each proves.
 */
export type IntegrityPin = string;

const PRINT_HINT =
  'print the current hash with: node -e "import(\'@x/host\').then(h => console.log(h.computeIntegrity(process.argv[1])))" <plugin dir>';

/**
 * The integrity step of the pipeline: after the compatibility check, before any plugin code runs,
 * and again before every restart (reverifyIntegrity). Does nothing without a pin; a mismatch is
 * ERR_PLUGIN_INTEGRITY with both values. `cwd` is the host's project, whose lockfile 'lockfile' reads.
 */
export function verifyIntegrity(
  pkg: PluginPackage,
  pin: IntegrityPin | undefined,
  cwd: string = process.cwd(),
): void {
  if (pin === undefined) return;
  if (pin === 'lockfile') {
    verifyLockfile(pkg, cwd);
    return;
  }
  const wanted = pin.trim().split(/\s+/);
  const unsupported = wanted.find((w) => !/^sha512-[A-Za-z0-9+/]+={0,2}$/.test(w));
  if (unsupported !== undefined) {
    throw integrityMismatch(
      pkg.name,
      JSON.stringify(unsupported),
      'a pin the host cannot check',
      'The integrity option takes sha512-<base64> hashes made by computeIntegrity(), or "lockfile".',
      `Fix the integrity option; ${PRINT_HINT}.`,
    );
  }
  const unpinnable = unpinnableEntries(pkg.dir);
  if (unpinnable.length > 0) {
    throw integrityMismatch(
      pkg.name,
      wanted.join(' or '),
      'a package the pin cannot cover',
      `Under ${pkg.dir}: ${unpinnable.join('; ')}. What such an entry leads to is not in the digest, so it could change while the pin still matched.`,
      'Install the plugin from a registry (npm does not publish symlinks), or replace each link with the file it points to.',
    );
  }
  const actual = computeIntegrity(pkg.dir);
  if (wanted.includes(actual)) return;
  throw integrityMismatch(
    pkg.name,
    wanted.join(' or '),
    actual,
    `The files under ${pkg.dir} (version ${pkg.version}, nested node_modules included) are not the ones the host pinned: they were changed, or another version is installed.`,
    'Reinstall the plugin version you pinned (npm ci), or, if you trust this copy, pin the new value.',
  );
}

/**
 * Called before an isolated plugin is restarted after a crash: the files may have changed since
 * the load, and the restart runs them again. `options` are the load options, passed through the
 * isolate code as they are (their `integrity` and `cwd`).
 */
export function reverifyIntegrity(pkg: PluginPackage, options: object): void {
  const { integrity, cwd } = options as { readonly integrity?: IntegrityPin; readonly cwd?: string };
  verifyIntegrity(pkg, integrity, cwd);
}

function verifyLockfile(pkg: PluginPackage, cwd: string): void {
  const installed = `${pkg.name}@${pkg.version}`;
  const { lockfile, entry, problem } = findLockfileEntry(pkg.dir, cwd);
  const fail = (expected: string, why: string, fix: string) => {
    throw integrityMismatch(pkg.name, expected, installed, why, fix);
  };
  if (lockfile === undefined) {
    fail(
      'an entry in package-lock.json',
      `No lockfile (package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock) is in the host's project: not in ${cwd} nor any folder above it outside node_modules.`,
      'Install with npm so that it writes package-lock.json (or set the cwd load option to the project), or pin a content hash instead.',
    );
  }
  if (problem !== undefined)
    fail(
      `a usable lockfile at ${lockfile}`,
      `The host project's lockfile cannot be used: ${problem}.`,
      'Install the plugin with npm in the host project (npm install), or pin a content hash instead.',
    );
  if (entry === undefined) {
    fail(
      `an entry for it in ${lockfile}`,
      `The lockfile does not list the package at ${pkg.dir}, so it was not installed by npm from that lockfile.`,
      'Run npm install (or npm ci) so that the lockfile and node_modules agree.',
    );
  }
  const e = entry!;
  const expected = `${lockedName(e) ?? '(no name)'}@${e.version ?? '(no version)'}`;
  if (e.link === true || e.integrity === undefined) {
    fail(
      `${expected} with a registry integrity`,
      `${lockfile} records "${e.key}" as ${e.link === true ? 'a link to a local folder' : 'a package without an integrity hash (a git or local dependency)'}, so there is nothing to verify it against.`,
      'Install the plugin from a registry, or pin a content hash instead.',
    );
  }
  if (expected !== installed) {
    fail(
      `${expected} (${e.integrity})`,
      `${lockfile} records "${e.key}" as ${expected}, but ${installed} is installed there.`,
      'Run npm ci to install exactly what the lockfile records, or update the lockfile with npm install.',
    );
  }
}
