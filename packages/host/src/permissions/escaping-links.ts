import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { PluginError } from '@x/contract';
import { pathContains } from './path-contains.js';

/** Every symlink under `dir` (not followed; `.git` skipped), as absolute paths. */
function symlinks(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) out.push(path);
    else if (entry.isDirectory() && entry.name !== '.git') symlinks(path, out);
  }
  return out;
}

/** The package name a link at `<…>/node_modules/<name>` (or `@scope/name`) stands for, else undefined. */
const linkedPackage = (link: string) =>
  /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/@.][^/]*)$/.exec(link.split(sep).join('/'))?.[1];

function packageName(dir: string): unknown {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/**
 * Node's permission model checks a path as written, so a symlink inside a readable folder reads
 * whatever it points to (measured on Node 20.20: a link in the granted package to a folder
 * outside reads that folder). Under permissions, every symlink in the plugin's own package must
 * therefore lead into what it may read anyway (a granted folder, or a real path inside a
 * node_modules), or, placed as `node_modules/<name>`, to a real package of that name that holds
 * none of the `protect` paths (the checks of readClosure). Dependencies' own
 * folders are not walked: npm does not publish symlinks, and pnpm's are the dependency graph.
 */
export function checkLinks(
  plugin: string,
  dir: string,
  readable: readonly string[],
  protect: readonly string[],
): void {
  if (readable.includes('*')) return;
  const escaping = symlinks(realpathSync(dir)).flatMap((link) => {
    let target: string;
    try {
      target = realpathSync(link);
    } catch {
      target = resolve(dirname(link), readlinkSync(link)); // dangling: where it would lead once created
    }
    // A package manager's link to a package (a workspace or dev dependency): a real package of
    // that name, holding none of the protected paths, as for a declared dependency.
    const linked = linkedPackage(link);
    const ok =
      linked !== undefined
        ? packageName(target) === linked && !protect.some((p) => pathContains(target, p))
        : target.split(sep).includes('node_modules') || readable.some((r) => pathContains(r, target));
    return ok ? [] : [`${link} -> ${target}`];
  });
  if (escaping.length === 0) return;
  throw new PluginError({
    code: 'ERR_PLUGIN_PERMISSION',
    plugin,
    what: `Plugin "${plugin}" cannot be sandboxed: its package has symlinks out of what it may read: ${escaping.join(', ')}.`,
    why: "Node's permission model follows a symlink inside a readable folder, so each of these would let the plugin read where it points.",
    fix: 'Replace each link with the files it points to, or grant its target (fsRead) if the plugin may read it.',
    details: { links: escaping },
  });
}
