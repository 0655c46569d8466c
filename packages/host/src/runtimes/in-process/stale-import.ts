import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logger.js';

export const STALE_CODE = 'ERR_PLUGIN_STALE';

// Each entry imported in-process, and when: Node caches an ES module by URL for the life of the
// isolate, so a second import() of it hands back the first code, whatever the files hold now.
const imported = new Map<string, number>();

/** Whether any file of the package (its node_modules left out) changed after `since`. */
function changedSince(dir: string, since: number, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const found = changedSince(path, since, depth + 1);
      if (found !== undefined) return found;
    } else if (e.isFile()) {
      try {
        if (statSync(path).mtimeMs > since) return path;
      } catch {
        // Gone meanwhile: not a change that the cached module misses.
      }
    }
  }
  return undefined;
}

/**
 * Before an in-process import: warns (ERR_PLUGIN_STALE) when this entry was imported before and
 * the package changed since, because the import will silently give the old code and its old
 * module state. Only a second import pays for the walk.
 */
export function warnIfStale(plugin: string, dir: string, entry: string, logger: Logger): void {
  const first = imported.get(entry);
  if (first === undefined) {
    imported.set(entry, Date.now());
    return;
  }
  const changed = changedSince(dir, first);
  if (changed === undefined) return;
  logger.log(
    'warn',
    `Plugin "${plugin}" changed since it was first imported in-process (${changed}), but this load gets its old code. ` +
      'Node caches an ES module for the life of the process and cannot import it again, so the old code and its module state are handed back. ' +
      'Restart the host, or load the plugin with isolation "worker" (x-plugin dev does, and reloads it on every change).',
    { plugin, code: STALE_CODE, file: changed },
  );
}
