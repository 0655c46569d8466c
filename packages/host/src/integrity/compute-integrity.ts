import { createHash, type Hash } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Directories that are never part of a package's own contents (other packages, VCS data). */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/**
 * Every entry of the tree, as a sorted list of POSIX relative paths. Hand-written rather than
 * npm-packlist: an installed package already is what npm published (packlist needs the source
 * tree and its .npmignore rules), so "every file except nested node_modules" is the same set.
 */
function listEntries(dir: string, prefix = ''): { path: string; entry: Dirent }[] {
  const out: { path: string; entry: Dirent }[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...listEntries(dir, path));
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      out.push({ path, entry });
    }
  }
  return out;
}

// Byte order, not localeCompare: the digest must not depend on the machine's locale.
const byBytes = (a: { path: string }, b: { path: string }) =>
  Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));

function hashEntry(hash: Hash, dir: string, path: string, entry: Dirent): void {
  // Each record is self-delimiting (type, path, length, bytes), so that no two trees hash alike by
  // moving bytes from one file's end to the next file's name.
  if (entry.isSymbolicLink()) {
    // A link is hashed as its target text, never followed: following it could hash (and later
    // grant) files outside the package.
    const target = Buffer.from(readlinkSync(join(dir, path)));
    hash.update(`l\0${path}\0${target.length}\0`).update(target);
    return;
  }
  const bytes = readFileSync(join(dir, path));
  hash.update(`f\0${path}\0${bytes.length}\0`).update(bytes);
}

/**
 * The content hash of an installed plugin package, in SRI form (`sha512-<base64>`): a SHA-512 over
 * every file and symlink under `dir`, sorted by relative path, skipping `node_modules` and `.git`
 * folders. See docs/security.md for the exact format.
 * @example computeIntegrity('node_modules/greeter-plugin-english') // 'sha512-3q…=='
 */
export function computeIntegrity(dir: string): string {
  const hash = createHash('sha512');
  hash.update('x-plugin-integrity-v1\0');
  for (const { path, entry } of listEntries(dir).sort(byBytes)) hashEntry(hash, dir, path, entry);
  return `sha512-${hash.digest('base64')}`;
}
