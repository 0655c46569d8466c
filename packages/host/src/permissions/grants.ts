import { isAbsolute, resolve } from 'node:path';
import { badManifest } from '../errors.js';
import type { PluginPackage } from '../manifest.js';

/**
 * What a plugin process may do beyond loading its own code, under Node's permission model.
 * Paths are absolute, or relative to the plugin's package folder; `'*'` means every path.
 */
export interface PermissionGrants {
  /** Extra folders or files it may read (its own package and dependencies are always readable). */
  readonly fsRead?: readonly string[];
  /** Folders or files it may write (default: none). */
  readonly fsWrite?: readonly string[];
  /** May start child processes (Node: --allow-child-process; this escapes the model). */
  readonly childProcess?: boolean;
  /** May start worker threads (Node: --allow-worker; workers do not inherit the model on Node 20). */
  readonly worker?: boolean;
  /** May load native addons (Node: --allow-addons). */
  readonly addons?: boolean;
  /** May use WASI (Node: --allow-wasi). */
  readonly wasi?: boolean;
}

/**
 * The `permissions` load option: `false` (default) runs the plugin with the host's rights;
 * `'none'` restricts it to reading its own code; `'manifest'` grants what its
 * `xPlugin.permissions` asks for; an object grants exactly that, whatever the manifest says.
 */
export type PermissionsOption = false | 'none' | 'manifest' | PermissionGrants;

/** Grants with every path absolute: what the child process is started with. */
export interface ResolvedPermissions {
  readonly fsRead: readonly string[];
  readonly fsWrite: readonly string[];
  readonly childProcess: boolean;
  readonly worker: boolean;
  readonly addons: boolean;
  readonly wasi: boolean;
  /** The plugin's package and its dependency closure (readClosure), when resolved at load. */
  readonly packageReads?: readonly string[];
}

export const PATH_LISTS = ['fsRead', 'fsWrite'] as const;
export const SWITCHES = ['childProcess', 'worker', 'addons', 'wasi'] as const;

type Fail = (field: string, why: string, fix: string) => Error;

/**
 * Checks that `value` has the shape of PermissionGrants; `fail` builds the error for the side
 * that wrote it (the plugin's manifest, or the host's load option). Unknown keys are ignored.
 */
export function parseGrants(value: unknown, field: string, fail: Fail): PermissionGrants {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail(
      field,
      `must be an object, not ${JSON.stringify(value)}`,
      'Write it as { "fsRead": ["./data"] }.',
    );
  }
  const grants = value as Record<string, unknown>;
  for (const key of PATH_LISTS) {
    const list = grants[key];
    if (list !== undefined && (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p === ''))) {
      throw fail(
        `${field}.${key}`,
        `must be a list of paths, not ${JSON.stringify(list)}`,
        `Write it as ["./data"], paths relative to the package.`,
      );
    }
  }
  for (const key of SWITCHES) {
    if (grants[key] !== undefined && typeof grants[key] !== 'boolean') {
      throw fail(
        `${field}.${key}`,
        `must be true or false, not ${JSON.stringify(grants[key])}`,
        'Set it to true or false, or remove it.',
      );
    }
  }
  return grants as PermissionGrants;
}

/** Reads and validates `xPlugin.permissions`; unknown keys are ignored, as elsewhere in xPlugin. */
export function manifestGrants(pkg: PluginPackage): PermissionGrants | undefined {
  const x = pkg.packageJson.xPlugin as Record<string, unknown>;
  if (x.permissions === undefined) return undefined;
  return parseGrants(x.permissions, 'xPlugin.permissions', (field, why, fix) =>
    badManifest(pkg.name, field, why, fix),
  );
}

/** Makes every granted path absolute (relative ones are relative to the plugin's package). */
export function resolveGrants(dir: string, grants: PermissionGrants = {}): ResolvedPermissions {
  const paths = (list: readonly string[] = []) =>
    list.map((p) => (p === '*' || isAbsolute(p) ? p : resolve(dir, p)));
  return {
    fsRead: paths(grants.fsRead),
    fsWrite: paths(grants.fsWrite),
    childProcess: grants.childProcess === true,
    worker: grants.worker === true,
    addons: grants.addons === true,
    wasi: grants.wasi === true,
  };
}
