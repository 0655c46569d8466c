import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.ts';

// The isolate bootstrap is a second build: the script a worker thread or child process runs to
// serve any plugin package. It is bundled with what it imports (noExternal), as one CommonJS file,
// so that a new isolate loads one module before the plugin's own, without starting the ESM loader
// (~10 ms in a worker): start time is what an isolated plugin costs over a bare worker
// (packages/host/README.md, Performance).
// `shims` gives the CJS build of the library an import.meta.url to find the bootstrap by.
export default defineConfig([
  // clean: false on every config: the build script empties dist/ first (scripts/clean-dist.mjs).
  packageConfig({ entry: { index: 'src/index.ts' }, shims: true, clean: false }),
  packageConfig({
    entry: {
      'isolate/bootstrap': 'src/runtimes/x-protocol/bootstrap.ts',
      'isolate/pipe': 'src/runtimes/x-protocol/bootstrap-pipe.ts',
      // Preloaded by sandboxed plugin processes (src/permissions/node-flags.ts).
      'isolate/signal-guard': 'src/permissions/signal-guard-preload.ts',
    },
    format: ['cjs'],
    dts: false,
    clean: false,
    noExternal: [/.*/],
    // @x/contract from its sources, not its dist: each dist entry is a bundle of its own, so
    // `./wire` and `./node` each carried a copy of the endpoint and transports (186 KB for both).
    // From the sources esbuild keeps one copy and leaves msgpackr to the process path's lazy import.
    esbuildOptions(options) {
      options.alias = {
        '@x/contract/wire': fileURLToPath(new URL('../contract/src/wire/index.ts', import.meta.url)),
        '@x/contract/node': fileURLToPath(new URL('../contract/src/node/index.ts', import.meta.url)),
        '@x/contract/frames': fileURLToPath(new URL('../contract/src/wire/frames-index.ts', import.meta.url)),
      };
    },
  }),
  // The x-plugin bin's entry: ESM only (top-level await).
  packageConfig({ entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false }),
]);
