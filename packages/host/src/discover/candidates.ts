import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { notFound } from '../errors.js';
import { type FileStamp, stampOfFd } from '../load/known-manifests.js';
import { locate } from '../load/locate.js';
import { dependencyNameProblem } from '../permissions/dependency-name.js';

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return parseJson(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A package folder that says "I am a plugin", with its parsed package.json (read once). */
export interface Candidate {
  readonly dir: string;
  readonly packageJson: Record<string, unknown>;
  /** The package.json's file stamp when it was read (known-manifests.ts). */
  readonly stamp: FileStamp | undefined;
}

// Discovery reads the package.json of every dependency a project lists (1,000 in the bench), and
// most are not plugins: each is read into one reused buffer (open, read, close: no stat, no new
// buffer, no decoding) and searched for the `"xPlugin"` key as bytes; only a plugin's is decoded.
const SCRATCH = Buffer.allocUnsafe(64 * 1024);
const MARK = Buffer.from('"xPlugin"');

/** A package.json that names `"xPlugin"`: its text, and its file stamp when it was read. */
interface PluginRead {
  readonly text: string;
  readonly stamp: FileStamp | undefined;
}
/** What reading a dependency's package.json found. */
type ManifestRead = PluginRead | 'not-a-plugin' | 'missing';

/** The text of a package.json that names `"xPlugin"`; undefined when it does not, or cannot be read. */
function pluginManifestText(file: string): PluginRead | undefined {
  const read = readPluginManifest(file);
  return read === 'not-a-plugin' || read === 'missing' ? undefined : read;
}

function readPluginManifest(file: string): ManifestRead {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'not-a-plugin';
  }
  let size: number;
  let marked = false;
  let stamp: FileStamp | undefined;
  try {
    size = readSync(fd, SCRATCH, 0, SCRATCH.length, 0);
    marked = SCRATCH.subarray(0, size).indexOf(MARK) !== -1;
    // A plugin's (only): its load reuses this parse while the file keeps this stamp (known-manifests.ts).
    if (marked) stamp = stampOfFd(fd);
  } catch {
    // A folder named package.json (EISDIR), say: there, but nothing a plugin could be read from.
    return 'not-a-plugin';
  } finally {
    closeSync(fd);
  }
  // A manifest of 64 KiB or more (rare): read it whole, as before.
  if (size === SCRATCH.length) {
    try {
      const text = readFileSync(file, 'utf8');
      return text.includes('"xPlugin"') ? { text, stamp: undefined } : 'not-a-plugin';
    } catch {
      return 'not-a-plugin';
    }
  }
  return marked ? { text: SCRATCH.toString('utf8', 0, size), stamp } : 'not-a-plugin';
}

/** Whether a package.json says "I am a plugin": the `x-plugin` keyword and an `xPlugin` field. */
function asCandidate(
  dir: string,
  requireKeyword: boolean,
  read = pluginManifestText(join(dir, 'package.json')),
): Candidate | undefined {
  // Most dependencies are not plugins: a byte search spares decoding and parsing their package.json.
  if (read === undefined) return undefined;
  const json = parseJson(read.text);
  if (json === undefined || json.xPlugin === undefined) return undefined;
  const keyword = Array.isArray(json.keywords) && json.keywords.includes('x-plugin');
  return !requireKeyword || keyword ? { dir, packageJson: json, stamp: read.stamp } : undefined;
}

/** The project root for `cwd`: the nearest folder upward with a package.json, as npm finds it. */
export function projectRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw notFound(
    resolve(cwd),
    `There is no package.json in ${resolve(cwd)} or above it, so there is no project to discover plugins in.`,
    'Run it in a project folder (or pass --cwd <project>), or pass a plugin directory with --dir.',
  );
}

/**
 * The installed dependencies of a project that are plugins. Only the names the project's
 * package.json lists are looked up, each where Node would resolve it: reading a few manifests
 * is what keeps discovery fast, where walking all of node_modules would read thousands.
 */
export function dependencyPlugins(cwd: string): Candidate[] {
  const root = projectRoot(cwd);
  const json = readJson(join(root, 'package.json')) ?? {};
  const names = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const deps = json[field];
    if (typeof deps === 'object' && deps !== null) for (const name of Object.keys(deps)) names.add(name);
  }
  const found: Candidate[] = [];
  for (const name of names) {
    // A name that is not one npm could install is never joined to a path (locate() refuses it too).
    if (dependencyNameProblem(name) !== undefined) continue;
    // Where npm installs it, the project's own node_modules: one open() of its package.json, where
    // locate() would stat it first (1,000 stats in the bench). Only if it is not there, Node's
    // lookup in each node_modules further up.
    let dir = join(root, 'node_modules', name);
    let read = readPluginManifest(join(dir, 'package.json'));
    if (read === 'missing') {
      try {
        dir = locate(name, root);
      } catch {
        continue; // Listed but not installed: npm reports that; it is not a plugin we can find.
      }
      read = readPluginManifest(join(dir, 'package.json'));
    }
    if (read === 'missing' || read === 'not-a-plugin') continue;
    const candidate = asCandidate(dir, true, read);
    if (candidate !== undefined) found.push(candidate);
  }
  return found;
}

/** The package folders of a plugin directory (`plugins/english`, `plugins/@acme/french`) that are plugins. */
export function directoryPlugins(dir: string): Candidate[] {
  const root = resolve(dir);
  if (!existsSync(root)) {
    throw notFound(
      root,
      `The plugin directory ${root} does not exist.`,
      'Pass the path of an existing folder.',
    );
  }
  const found: Candidate[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    const path = join(root, entry.name);
    const children = entry.name.startsWith('@')
      ? readdirSync(path).map((child) => join(path, child))
      : [path];
    for (const child of children) {
      const candidate = asCandidate(child, false);
      if (candidate !== undefined) found.push(candidate);
    }
  }
  return found.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}
