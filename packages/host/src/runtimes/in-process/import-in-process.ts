import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { exportOf } from '@x/contract/wire';
import { loadFailed } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { PluginPackage } from '../../manifest.js';
import { warnIfStale } from './stale-import.js';

/** `plugin.Open` + `Lookup`: imports the plugin's entry and returns its export and all export names. */
export async function importInProcess(
  pkg: PluginPackage,
  entry: string,
  logger?: Logger,
): Promise<{ value: unknown; exportNames: string[] }> {
  if (!existsSync(entry)) {
    throw loadFailed(
      pkg.name,
      entry,
      new Error('the entry file does not exist'),
      'Build the plugin (npm run build) so that its entry exists, or fix "exports" in its package.json.',
    );
  }
  if (logger !== undefined) warnIfStale(pkg.name, pkg.dir, entry, logger);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  } catch (error) {
    throw loadFailed(
      pkg.name,
      entry,
      error,
      'Fix the error above in the plugin, or reinstall it; run it with `node` to see the full stack.',
    );
  }
  // A CommonJS plugin's exports may be visible only on the namespace's default: exportOf looks there too.
  return { value: exportOf(mod, pkg.manifest.export), exportNames: Object.keys(mod) };
}
