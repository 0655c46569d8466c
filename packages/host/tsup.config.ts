import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.ts';

export default defineConfig([
  packageConfig(),
  // The x-plugin bin's entry: ESM only (top-level await); the first config cleans dist.
  packageConfig({ entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false }),
]);
