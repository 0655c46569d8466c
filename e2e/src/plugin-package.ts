import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from './registry.ts';
import { run } from './run.ts';

export interface PluginPackageOptions {
  /** A name no seeded package has (x-e2e-*): only this test's publish can make it exist. */
  readonly name: string;
  readonly version: string;
  /** The plugin's peerDependencies["@x/contract"]: the contract versions it was built for. */
  readonly contractRange: string;
  readonly greeting: string;
}

/**
 * Writes a small but real greeter plugin package, as a plugin author publishes it: a manifest,
 * a peer dependency on @x/contract, a dependency on @x/sdk, and a built dist/index.js.
 * Hand-written rather than generated: the generator (issue 5) replaces this in createPluginWithGenerator().
 */
export function writePluginPackage(dir: string, options: PluginPackageOptions): string {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  const packageJson = {
    name: options.name,
    version: options.version,
    description: 'An e2e test plugin.',
    license: 'MIT',
    type: 'module',
    keywords: ['x-plugin'],
    xPlugin: { contract: 'greeter', export: 'plugin', isolation: 'in-process' },
    files: ['dist'],
    exports: { '.': './dist/index.js', './package.json': './package.json' },
    engines: { node: '>=20' },
    peerDependencies: { '@x/contract': options.contractRange },
    dependencies: { '@x/sdk': '^1.0.0' },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  writeFileSync(
    join(dir, 'dist', 'index.js'),
    `import { greeter } from '@x/contract';
import { definePlugin } from '@x/sdk';

export const plugin = definePlugin(greeter, {
  greet: (name) => \`${options.greeting}, \${name}!\`,
  lang: () => 'E2E',
});
`,
  );
  return dir;
}

/** Publishes a package directory to the test registry with npm, as a plugin author would. */
export async function publishPackage(dir: string, registry: Registry): Promise<void> {
  await run('npm', ['publish', '--registry', registry.url], { cwd: dir, env: registry.env });
}
