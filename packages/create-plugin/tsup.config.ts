import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.ts';

// Every runtime dependency (node-plop, @clack/prompts, ...) is bundled, as create-vite does, so that
// `npm create greeter-plugin` downloads this one package and nothing else. They are devDependencies.
// Bundled CommonJS dependencies require() Node's built-ins, which an ES module can only do
// through a require made by createRequire: the banner gives the ESM build one.
const bundled = {
  noExternal: [/.*/],
  shims: true,
  sourcemap: false,
  banner: ({ format }: { format: string }) =>
    format === 'esm'
      ? {
          js: "import { createRequire as __cgpCreateRequire } from 'node:module'; const require = __cgpCreateRequire(import.meta.url);",
        }
      : {},
};

export default defineConfig([
  // clean: false on every config: the build script empties dist/ first (scripts/clean-dist.mjs).
  packageConfig({ ...bundled, clean: false }),
  // The bin's entry: ESM only (it uses top-level await).
  packageConfig({ ...bundled, entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false }),
]);
