import { createHash, type Hash } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathContains } from '../permissions/path-contains.js';

/**
 * Directories that are never part of a package's contents: VCS data. Nested `node_modules` are
 * hashed (since 1.1): they are code the plugin runs (npm nests a dependency there when versions
 * conflict), so a pin that skipped them would not mean what it says.
 */
const SKIPPED_DIRS = new Set(['.git']);

type Entry = { path: string; entry: Dirent };

/**
 * Every entry of the tree, as a sorted list of POSIX relative paths. Hand-written rather than
 * npm-packlist: an installed package already is what npm published (packlist needs the source
 * tree and its .npmignore rules). Symlinks are listed, never followed; sockets, FIFOs and
 * devices are listed too, so that the pin can refuse them.
 */
function listEntries(dir: string, prefix = ''): Entry[] {
  const out: Entry[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...listEntries(dir, path));
    } else {
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
    // A link is hashed as its target text, never followed: unpinnableEntries() refuses one that
    // leads out of the package, so its target is a file hashed on its own.
    const target = Buffer.from(readlinkSync(join(dir, path)));
    hash.update(`l\0${path}\0${target.length}\0`).update(target);
    return;
  }
  if (!entry.isFile()) return;
  const bytes = readFileSync(join(dir, path));
  hash.update(`f\0${path}\0${bytes.length}\0`).update(bytes);
}

/**
 * The content hash of an installed plugin package, in SRI form (`sha512-<base64>`): a SHA-512 over
 * every file and symlink under `dir`, nested `node_modules` included, sorted by relative path,
 * skipping `.git` folders. See docs/security.md for the exact format.
 * @example computeIntegrity('node_modules/greeter-plugin-english') // 'sha512-3q…=='
 */
export function computeIntegrity(dir: string): string {
  const hash = createHash('sha512');
  hash.update('x-plugin-integrity-v1\0');
  for (const { path, entry } of listEntries(dir).sort(byBytes)) hashEntry(hash, dir, path, entry);
  return `sha512-${hash.digest('base64')}`;
}

/**
 * What a content pin cannot cover, each as `<path>: <why>`: a symlink whose target is outside the
 * package (its target's bytes are not in the digest, and can change under it), and anything that
 * is neither a file, a folder nor a symlink (a FIFO can feed different bytes at every read).
 */
export function unpinnableEntries(dir: string): string[] {
  const root = realpathSync(dir);
  const problems: string[] = [];
  for (const { path, entry } of listEntries(root).sort(byBytes)) {
    if (entry.isSymbolicLink()) {
      const target = readlinkSync(join(root, path));
      // Lexically, from the link's real folder: every folder walked is real (links are not
      // followed), and a link to another link inside is checked on its own.
      if (!pathContains(root, resolve(dirname(join(root, path)), target))) {
        problems.push(`${path}: a symlink to ${target}, outside the package`);
      }
    } else if (!entry.isFile()) {
      problems.push(`${path}: neither a file, a folder nor a symlink`);
    }
  }
  return problems;
}
