import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.ts';

// shims: the CJS build needs a real import.meta.url to find @x/contract's .proto files.
export default defineConfig(packageConfig({ shims: true }));
