import { fstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginPackage } from '../manifest.js';

// A host that discovered its plugins has read and validated each one's package.json already; its
// load of the same folder reads it again only if the file changed since. "Changed" is the file's
// identity as the kernel keeps it: inode, size, and the change time (ctime), which every write,
// rename over or utimes() moves and which no process can set back. One stat replaces an open, a
// read, a JSON.parse and validateManifest() (packages/host/README.md, Performance).

/** A file's identity: inode, size and change time (ns). */
export type FileStamp = string;

const stamps = new WeakMap<PluginPackage, FileStamp>();

const stampOf = (s: { ino: bigint; size: bigint; ctimeNs: bigint }): FileStamp =>
  `${s.ino}:${s.size}:${s.ctimeNs}`;

/** The stamp of an open file, taken on the descriptor it was read through (no race with its path). */
export function stampOfFd(fd: number): FileStamp | undefined {
  try {
    return stampOf(fstatSync(fd, { bigint: true }));
  } catch {
    return undefined;
  }
}

/** Remembers which package.json a validated package was read from. */
export function rememberStamp(pkg: PluginPackage, stamp: FileStamp | undefined): void {
  if (stamp !== undefined) stamps.set(pkg, stamp);
}

/** The packages one host discovered last, by folder: each reused while its package.json is unchanged. */
export class KnownManifests {
  #byDir = new Map<string, PluginPackage>();

  /** What the host's latest discover() found (an earlier discovery's are forgotten). */
  replace(found: Iterable<PluginPackage | undefined>): void {
    this.#byDir.clear();
    for (const pkg of found) if (pkg !== undefined && stamps.has(pkg)) this.#byDir.set(pkg.dir, pkg);
  }

  /** The discovered package of `dir`, if its package.json is still the file discovery read. */
  get(dir: string): PluginPackage | undefined {
    const pkg = this.#byDir.get(dir);
    if (pkg === undefined) return undefined;
    const now = statSync(join(dir, 'package.json'), { bigint: true, throwIfNoEntry: false });
    if (now !== undefined && stampOf(now) === stamps.get(pkg)) return pkg;
    this.#byDir.delete(dir);
    return undefined;
  }
}
