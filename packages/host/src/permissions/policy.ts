import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PluginError } from '@x/contract';
import type { PluginPackage } from '../manifest.js';
import {
  PATH_LISTS,
  type PermissionGrants,
  parseGrants,
  type ResolvedPermissions,
  resolveGrants,
  SWITCHES,
} from './grants.js';
import { pathContains } from './path-contains.js';

/** The plugin an approval is asked for. */
export interface PermissionRequester {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

/**
 * Asked, under `permissions: 'manifest'`, about what a plugin's xPlugin.permissions requests
 * (paths absolute): `true` approves it all, `false` refuses it all, grants approve what they
 * cover (as an allow-list) and refuse the rest. May be async (to ask a person, say).
 */
export type ApprovePermissions = (
  requested: ResolvedPermissions,
  plugin: PermissionRequester,
) => boolean | PermissionGrants | Promise<boolean | PermissionGrants>;

/** The host's policy for `permissions: 'manifest'`: both load options, either, or neither (nothing is allowed). */
export interface PermissionPolicy {
  /** What any plugin may ask for: paths absolute or relative to the plugin's folder, `'*'` every path. */
  readonly allowPermissions?: PermissionGrants;
  readonly approvePermissions?: ApprovePermissions;
}

/** One permission a manifest asks for, as named in errors: `fsRead /srv/data`, `childProcess`. */
interface Requested {
  readonly permission: string;
  readonly path?: string;
}

function badOption(plugin: string, option: string, why: string, fix: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_PERMISSION',
    plugin,
    what: `The ${option} load option ${why}.`,
    why: "The host's permission policy decides what a plugin's manifest may be granted, so it must be readable.",
    fix,
    details: { option },
  });
}

/** Validates the policy's load options (the host's side), before any of them is used. */
export function parsePolicy(plugin: string, policy: PermissionPolicy): void {
  const fail = (field: string, why: string, fix: string) => badOption(plugin, field, why, fix);
  if (policy.allowPermissions !== undefined) parseGrants(policy.allowPermissions, 'allowPermissions', fail);
  const approve = policy.approvePermissions;
  if (approve !== undefined && typeof approve !== 'function') {
    throw fail(
      'approvePermissions',
      `must be a function, not ${JSON.stringify(approve)}`,
      'Pass (requested, plugin) => boolean | PermissionGrants, or leave it out.',
    );
  }
}

function listRequested(grants: ResolvedPermissions): Requested[] {
  return [
    ...PATH_LISTS.flatMap((permission) => grants[permission].map((path) => ({ permission, path }))),
    ...SWITCHES.filter((s) => grants[s]).map((permission) => ({ permission })),
  ];
}

/**
 * A path with its symlinks resolved (those of its nearest existing folder, for a path not created
 * yet): Node follows links, so `/srv/shared/link -> /etc` is not inside `/srv/shared`.
 */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(real(parent), basename(path));
  }
}

function allows(limit: ResolvedPermissions, item: Requested): boolean {
  if (item.path === undefined) return limit[item.permission as (typeof SWITCHES)[number]];
  const paths = limit[item.permission as (typeof PATH_LISTS)[number]];
  // '*' only by '*': a plugin asking for every path is not covered by any one folder.
  if (item.path === '*') return paths.includes('*');
  const asked = real(item.path);
  return paths.some((p) => p === '*' || pathContains(real(p), asked));
}

const label = (item: Requested) =>
  item.path === undefined ? item.permission : `${item.permission} ${item.path}`;

function refused(pkg: PluginPackage, items: readonly Requested[], policy: string): PluginError {
  const list = items.map(label);
  return new PluginError({
    code: 'ERR_PLUGIN_PERMISSION',
    plugin: pkg.name,
    what: `Plugin "${pkg.name}" asks for permissions the host does not allow: ${list.join(', ')}.`,
    why: `Under permissions: "manifest" a plugin gets only what its xPlugin.permissions asks for and the host's policy allows (${policy}); nothing of it was started.`,
    fix: 'If the plugin needs them, allow them with the allowPermissions load option (or approve them in approvePermissions); else use a plugin that asks for less, or load it with permissions: "none".',
    details: { refused: list, requested: items },
  });
}

/**
 * Grants what the manifest asks for if the host's policy allows every part of it, else refuses
 * the load, naming each part it does not allow. Fails closed: without a policy nothing beyond
 * the plugin's own code is allowed, so a plugin that asks for anything does not load.
 */
export async function approveManifest(
  pkg: PluginPackage,
  requested: PermissionGrants | undefined,
  policy: PermissionPolicy,
): Promise<ResolvedPermissions> {
  parsePolicy(pkg.name, policy);
  const asked = resolveGrants(pkg.dir, requested);
  const items = listRequested(asked);
  if (items.length === 0) return asked;
  const limits: ResolvedPermissions[] = [];
  const names: string[] = [];
  if (policy.allowPermissions !== undefined) {
    limits.push(resolveGrants(pkg.dir, policy.allowPermissions));
    names.push('allowPermissions');
  }
  if (policy.approvePermissions !== undefined) {
    const copy = structuredClone(asked);
    const answer = await policy.approvePermissions(Object.freeze(copy), {
      name: pkg.name,
      version: pkg.version,
      dir: pkg.dir,
    });
    names.push('approvePermissions');
    if (answer === false) limits.push(resolveGrants(pkg.dir));
    else if (answer !== true) {
      const fail = (field: string, why: string, fix: string) =>
        badOption(pkg.name, `${field} (the value approvePermissions returned)`, why, fix);
      limits.push(resolveGrants(pkg.dir, parseGrants(answer, 'approvePermissions', fail)));
    }
  }
  if (names.length === 0) limits.push(resolveGrants(pkg.dir));
  const denied = items.filter((item) => !limits.every((limit) => allows(limit, item)));
  if (denied.length > 0)
    throw refused(pkg, denied, names.length === 0 ? 'none was given' : names.join(' and '));
  return asked;
}
