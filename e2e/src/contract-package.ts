import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from './registry.ts';
import { run } from './run.ts';

/** The e2e contract: objects, arrays, an optional field, an enum and bytes, in its own package. */
const CONTRACT_SOURCE = `import { defineContract, t } from '@x/contract';

export const shapes = defineContract({
  name: 'shapes',
  version: '1.0.0',
  methods: {
    area: { params: [{ name: 'dims', type: t.object({ w: t.number(), h: t.number() }) }], returns: t.number() },
    outline: {
      params: [{ name: 'shape', type: t.object({ kind: t.enum(['square', 'triangle']), sides: t.array(t.number()), label: t.optional(t.string()) }) }],
      returns: t.object({ perimeter: t.number(), label: t.nullable(t.string()) }),
    },
    checksum: { params: [{ name: 'data', type: t.bytes() }], returns: t.object({ length: t.integer(), first: t.integer() }) },
  },
});
`;

/**
 * Writes, builds (tsc: ESM and its declarations, as a contract author publishes) and publishes a
 * contract package, from the test registry's own @x/contract and TypeScript.
 */
export async function publishContractPackage(registry: Registry, name: string): Promise<string> {
  const dir = registry.tempDir('contract-');
  mkdirSync(join(dir, 'src'));
  const contractVersion = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', '..', 'packages', 'contract', 'package.json'), 'utf8'),
  ) as {
    version: string;
    dependencies: Record<string, string>;
  };
  const packageJson = {
    name,
    version: '1.0.0',
    type: 'module',
    files: ['dist'],
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    scripts: { build: 'tsc -p .' },
    dependencies: { '@sinclair/typebox': contractVersion.dependencies['@sinclair/typebox'] },
    peerDependencies: { '@x/contract': `^${contractVersion.version}` },
    devDependencies: { '@x/contract': `^${contractVersion.version}`, typescript: '~5.9.3' },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        declaration: true,
        skipLibCheck: true,
        outDir: 'dist',
        rootDir: 'src',
      },
      include: ['src'],
    }),
  );
  writeFileSync(join(dir, 'src', 'index.ts'), CONTRACT_SOURCE);
  const options = { cwd: dir, env: registry.env };
  await run('npm', ['install', '--registry', registry.url], options);
  await run('npm', ['run', 'build'], options);
  await run('npm', ['publish', '--registry', registry.url], options);
  return dir;
}
