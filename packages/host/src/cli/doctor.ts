import { PluginError } from '@x/contract';
import type { DiscoveredPlugin } from '../discover/discovered-plugin.js';
import { createHost } from '../host.js';
import { stderrLogger } from '../logger.js';
import type { ParsedArgs } from './args.js';
import { type CliIo, EXIT, oneLine, printJson } from './io.js';
import { findPlugins, pluginJson } from './report.js';

/**
 * `x-plugin doctor [plugin...]`: every reason each plugin would not load, all at once. The checks
 * that need no plugin code (manifest, contract, versions) report every broken rule; a plugin that
 * passes them all is then really loaded and closed, which checks its entry, its export, the
 * contract's methods and its build stamp.
 */
export async function doctorCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const plugins = findPlugins(args, args.positionals);
  const host = createHost({ ...(args.cwd === undefined ? {} : { cwd: args.cwd }), logger: stderrLogger });
  const results: { plugin: DiscoveredPlugin; loadError: PluginError | undefined }[] = [];
  try {
    for (const plugin of plugins) {
      results.push({ plugin, loadError: plugin.ok ? await tryLoad(host, plugin.dir) : undefined });
    }
  } finally {
    await host.close();
  }
  const failing = results.filter((r) => !r.plugin.ok || r.loadError !== undefined).length;
  if (args.json) {
    printJson(io, {
      ok: failing === 0,
      plugins: results.map((r) => ({
        ...pluginJson(r.plugin, r.loadError === undefined ? [] : [r.loadError]),
        loads: r.plugin.ok && r.loadError === undefined,
      })),
    });
    return failing === 0 ? EXIT.ok : EXIT.plugin;
  }
  for (const { plugin, loadError } of results) {
    const problems = [...plugin.problems, ...(loadError === undefined ? [] : [loadError])];
    // Name, version, contract and messages all come from the plugin: one line each, escaped.
    const title = oneLine(`${plugin.name}${plugin.version ? `@${plugin.version}` : ''}`);
    const contract = plugin.contract ? ` (${oneLine(plugin.contract)})` : '';
    io.out(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${title}${contract}\n`);
    for (const p of problems) io.out(`     ${p.code}: ${oneLine(p.message)}\n`);
    for (const w of plugin.warnings) io.out(`     warning: ${oneLine(w.message)}\n`);
  }
  io.out(
    plugins.length === 0
      ? 'No plugins found.\n'
      : `${plugins.length} plugin(s) checked, ${failing} would not load.\n`,
  );
  return failing === 0 ? EXIT.ok : EXIT.plugin;
}

async function tryLoad(host: ReturnType<typeof createHost>, dir: string): Promise<PluginError | undefined> {
  try {
    const handle = await host.load(dir);
    await handle.close();
    return undefined;
  } catch (error) {
    if (PluginError.isInstance(error)) return error;
    throw error;
  }
}
