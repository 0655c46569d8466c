import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.ts';

// `@x/contract/node` is its own entry: the main one stays free of Node APIs.
export default defineConfig(packageConfig({ entry: { index: 'src/index.ts', node: 'src/node/index.ts' } }));
