import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.ts';

// The isolate bootstrap is a second entry: the script a worker thread or child process runs to
// serve any plugin package. `shims` gives the CJS build an import.meta.url to find it by.
export default defineConfig(
  packageConfig({
    entry: { index: 'src/index.ts', 'isolate/bootstrap': 'src/isolate/bootstrap.ts' },
    shims: true,
  }),
);
