import { realpathSync } from 'node:fs';
import { builtinContracts, PluginError } from '@x/contract';
import { currentHostVersions } from '../load/compat/host-versions.js';
import { rememberStamp } from '../load/known-manifests.js';
import { locate } from '../load/locate.js';
import { type Candidate, dependencyPlugins, directoryPlugins } from './candidates.js';
import type { DiscoveredPlugin, DiscoverOptions, DiscoverySource } from './discovered-plugin.js';
import { inspectPlugin } from './inspect-plugin.js';

/**
 * Finds plugins without importing any: a project's installed ones, a plugin directory's, and named
 * ones; each with its compatibility verdict. Each plugin is reported once, first source first.
 * @example const found = discoverPlugins({ cwd: '.' }); for (const p of found) if (!p.ok) console.log(p.problems);
 */
export function discoverPlugins(options: DiscoverOptions = {}): DiscoveredPlugin[] {
  const contracts = options.contracts ?? builtinContracts;
  const host = options.host ?? currentHostVersions();
  const dirs = typeof options.dir === 'string' ? [options.dir] : (options.dir ?? []);
  const paths = options.paths ?? [];
  const scanProject = options.project ?? (dirs.length === 0 && paths.length === 0);
  const cwd = options.cwd ?? process.cwd();
  const found: DiscoveredPlugin[] = [];
  const seen = new Set<string>();
  const add = (dir: string, spec: string, source: DiscoverySource, read?: Candidate) => {
    const real = realpathSync.native(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const plugin = inspectPlugin(dir, spec, source, contracts, host, read?.packageJson);
    // A load of this folder by the host that discovered it reuses this parse (known-manifests.ts).
    if (plugin.package !== undefined) rememberStamp(plugin.package, read?.stamp);
    found.push(plugin);
  };
  for (const spec of paths) {
    let dir: string;
    try {
      dir = locate(spec, cwd);
    } catch (error) {
      if (!PluginError.isInstance(error)) throw error;
      found.push(unreadable(spec, error));
      continue;
    }
    add(dir, spec, 'path');
  }
  if (scanProject) for (const c of dependencyPlugins(cwd)) add(c.dir, c.dir, 'dependency', c);
  for (const pluginDir of dirs) {
    for (const c of directoryPlugins(pluginDir)) add(c.dir, c.dir, 'directory', c);
  }
  const wanted = options.contract?.name;
  return wanted === undefined ? found : found.filter((p) => p.contract === wanted);
}

/** A named plugin that could not even be found: reported with its error, so doctor can explain it. */
function unreadable(spec: string, error: PluginError): DiscoveredPlugin {
  return {
    name: spec,
    version: '',
    dir: '',
    source: 'path',
    contract: undefined,
    isolation: undefined,
    package: undefined,
    verdict: undefined,
    ok: false,
    problems: [error],
    warnings: [],
  };
}
