import { permissionsNeedProcess } from '../errors.js';
import type { Isolation, PluginPackage } from '../manifest.js';
import {
  manifestGrants,
  type PermissionsOption,
  type ResolvedPermissions,
  resolveGrants,
} from '../permissions/grants.js';

/**
 * Decides what a plugin may do, before any of its code runs: the manifest's `xPlugin.permissions`
 * is validated always, and honoured only if the host asks for it (`permissions: 'manifest'`).
 * Returns undefined when the plugin runs with the host's rights (the default, `false`).
 */
export function resolvePermissions(
  pkg: PluginPackage,
  isolation: Isolation,
  option: PermissionsOption | undefined,
): ResolvedPermissions | undefined {
  const requested = manifestGrants(pkg);
  if (option === undefined || option === false) return undefined;
  // Node's model is per process (on Node 20 a worker does not even inherit it): anything but a
  // process would silently run with the host's full rights, so refuse instead.
  if (isolation !== 'process') throw permissionsNeedProcess(pkg.name, isolation);
  if (option === 'none') return resolveGrants(pkg.dir);
  if (option === 'manifest') return resolveGrants(pkg.dir, requested);
  return resolveGrants(pkg.dir, option);
}
