import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.ts';

export default defineConfig([
  // The isolate bootstrap is a second entry: the script a worker thread or child process runs to
  // serve any plugin package. `shims` gives the CJS build an import.meta.url to find it by.
  packageConfig({
    entry: { index: 'src/index.ts', 'isolate/bootstrap': 'src/isolate/bootstrap.ts' },
    shims: true,
  }),
  // The x-plugin bin's entry: ESM only (top-level await); the first config cleans dist.
  packageConfig({ entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false }),
]);
