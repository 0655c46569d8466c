import type { Migration } from '../migration.js';
import { replaceOwnedFile } from '../owned-file.js';

// The file as the 1.0 template wrote it, and as this migration leaves it: a migration carries
// both texts, so that a later change to the template cannot change what this one does.
// Line by line rather than as template literals: in the bundle, a line of code-as-text starting
// with `export default` makes publint take the CommonJS build for an ES module.
const text = (...lines: string[]) => `${lines.join('\n')}\n`;

const V1_0 = text(
  "import { defineConfig } from 'tsup';",
  '',
  '// @x/sdk is bundled, so the plugin carries the SDK (and its version stamp) it was built with;',
  '// @x/contract stays a peer dependency, shared with the host that loads the plugin.',
  'export default defineConfig({',
  "  entry: ['src/index.ts'],",
  "  format: ['esm', 'cjs'],",
  '  dts: true,',
  '  clean: true,',
  "  target: 'node20',",
  "  noExternal: ['@x/sdk'],",
  '});',
);

export const V1_1 = text(
  "import { defineConfig } from 'tsup';",
  '',
  '// @x/sdk is bundled, so the plugin carries the SDK (and its version stamp) it was built with;',
  '// @x/contract stays a peer dependency, shared with the host that loads the plugin.',
  "// Source maps: a plugin's error reaches the host with its stack, which then points into src/",
  '// (node --enable-source-maps) rather than into the bundle.',
  'export default defineConfig({',
  "  entry: ['src/index.ts'],",
  "  format: ['esm', 'cjs'],",
  '  dts: true,',
  '  clean: true,',
  '  sourcemap: true,',
  "  target: 'node20',",
  "  noExternal: ['@x/sdk'],",
  '});',
);

/** Source maps beside the build, so that a plugin error's stack names its source lines. */
export const tsupSourcemap: Migration = {
  id: '0003-tsup-sourcemap',
  description: 'build source maps (tsup.config.ts sourcemap: true)',
  from: '1.0.0',
  to: '1.1.0',
  apply: (project, context) => replaceOwnedFile(project, context, 'tsup.config.ts', [V1_0], V1_1),
};
