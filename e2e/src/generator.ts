import { join } from 'node:path';
import type { Registry } from './registry.ts';
import { run } from './run.ts';

/**
 * Scaffolds, builds, tests and publishes a plugin with `npm create greeter-plugin`, through the
 * flags DESIGN.md fixes (`--kind --yes --no-git`, or `--contract <package>`). Returns the plugin's directory.
 * npm passes `--registry` down to the generator as npm_config_registry, so the generator's own
 * `npm install` asks Verdaccio too, for tsup, vitest... as well: that is why Verdaccio is seeded with
 * them (no uplink), rather than routing only @x/* to it and the rest to an offline npm cache.
 */
export async function createPluginWithGenerator(
  registry: Registry,
  name: string,
  kind: readonly string[] = ['--kind', 'greeter'],
  edit?: (dir: string) => void,
): Promise<string> {
  const parent = registry.tempDir('generated-');
  // npm_config_yes: npm exec's own "Need to install create-greeter-plugin, ok?" is answered yes.
  const options = { cwd: parent, env: { ...registry.env, npm_config_yes: 'true' } };
  await run(
    'npm',
    ['create', 'greeter-plugin', name, '--registry', registry.url, '--', ...kind, '--yes', '--no-git'],
    options,
  );
  const dir = join(parent, name);
  // The author's own change to what was generated, before it is built and tested.
  edit?.(dir);
  for (const script of ['build', 'test']) await run('npm', ['run', script], { ...options, cwd: dir });
  await run('npm', ['publish', '--registry', registry.url], { ...options, cwd: dir });
  return dir;
}
