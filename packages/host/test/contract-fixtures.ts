import { join } from 'node:path';
import type { Project } from './fixtures.js';

/** The source of a contract package's index.js: `shapes`, with `area` taking the params given. */
export function shapesSource(
  params = "[{ name: 'box', type: t.object({ w: t.number(), h: t.number() }) }]",
): string {
  return `import { defineContract, t } from '@x/contract';
export const shapes = defineContract({
  name: 'shapes',
  version: '1.2.0',
  methods: {
    area: { params: ${params}, returns: t.number() },
    name: { params: [], returns: 'string' },
  },
});
`;
}

/** Writes the contract package `shapes-contract` (a real ESM package on @x/contract) into the project. */
export function addShapesContract(project: Project, version = '1.2.0', source = shapesSource()): void {
  project.write(
    'node_modules/shapes-contract/package.json',
    JSON.stringify({
      name: 'shapes-contract',
      version,
      type: 'module',
      exports: './index.js',
      peerDependencies: { '@x/contract': '^1.0.0' },
    }),
  );
  project.write('node_modules/shapes-contract/index.js', source);
}

/**
 * Writes `shapes-plugin`, implementing the contract of `shapes-contract`; its import leaves a
 * marker file, whose absence proves that no plugin code ran. Returns the marker's path.
 */
export function addShapesPlugin(
  project: Project,
  options: { range?: string; contract?: string; files?: Record<string, string> } = {},
): string {
  const marker = join(project.dir, 'shapes-plugin.imported');
  project.addPlugin('shapes-plugin', {
    packageJson: {
      xPlugin: { contract: options.contract ?? 'shapes-contract#shapes' },
      peerDependencies: { '@x/contract': '^1.0.0', 'shapes-contract': options.range ?? '^1.0.0' },
    },
    files: {
      'index.js': `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'imported');
export const plugin = { area: (box) => box.w * box.h, name: () => 'rect' };
`,
      ...options.files,
    },
  });
  return marker;
}
