import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { permissionsNeedProcess } from '../errors.js';
import type { Isolation, PluginPackage } from '../manifest.js';
import { checkLinks } from '../permissions/escaping-links.js';
import {
  manifestGrants,
  type PermissionsOption,
  type ResolvedPermissions,
  resolveGrants,
} from '../permissions/grants.js';
import { approveManifest, type PermissionPolicy, parsePolicy } from '../permissions/policy.js';
import { readClosure } from '../permissions/read-closure.js';

/** The load options this step reads (documented on LoadOptions). */
export interface PermissionOptions extends PermissionPolicy {
  readonly permissions?: PermissionsOption;
  readonly cwd?: string;
}

/**
 * Decides what a plugin may do, before any of its code runs: the manifest's `xPlugin.permissions`
 * is validated always, and honoured only if the host asks for it (`permissions: 'manifest'`), and
 * then only as far as the host's policy (allowPermissions, approvePermissions) allows. The
 * plugin's read closure (its package and dependencies) is checked here too, so that a crafted
 * dependency fails the load rather than a start. Returns undefined when the plugin runs with the
 * host's rights (the default, `false`).
 */
export async function resolvePermissions(
  pkg: PluginPackage,
  isolation: Isolation,
  options: PermissionOptions,
): Promise<ResolvedPermissions | undefined> {
  const requested = manifestGrants(pkg);
  parsePolicy(pkg.name, options);
  const option = options.permissions;
  if (option === undefined || option === false) return undefined;
  // Node's model is per process (on Node 20 a worker does not even inherit it): anything but a
  // process would silently run with the host's full rights, so refuse instead.
  if (isolation !== 'process') throw permissionsNeedProcess(pkg.name, isolation);
  const grants =
    option === 'none'
      ? resolveGrants(pkg.dir)
      : option === 'manifest'
        ? await approveManifest(pkg, requested, options)
        : resolveGrants(pkg.dir, option);
  // No granted package folder may hold the host's working directories or the user's home.
  const protect = [process.cwd(), resolve(options.cwd ?? process.cwd()), homedir()];
  const packageReads = readClosure(pkg.dir, { plugin: pkg.name, protect });
  checkLinks(pkg.name, pkg.dir, [...packageReads, ...grants.fsRead], [...protect, realpathSync(pkg.dir)]);
  return { ...grants, packageReads };
}
