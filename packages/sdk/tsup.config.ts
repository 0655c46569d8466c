import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.ts';

// The @x/contract version this SDK is built against, baked in so that a plugin bundling the SDK
// carries it in its own code (the stamp the host checks), whatever is installed at run time.
const contractPkg = createRequire(import.meta.url).resolve('@x/contract/package.json');
const contractVersion = (JSON.parse(readFileSync(contractPkg, 'utf8')) as { version: string }).version;

// `@x/sdk/serve` is its own entry so that plugins importing only definePlugin stay free of Node APIs.
// clean: false on every config: the build script empties dist/ first (scripts/clean-dist.mjs).
// `@x/sdk/build` (writeContractFile) runs in a plugin's build, never in the plugin.
const base = packageConfig({
  entry: { index: 'src/index.ts', serve: 'src/serve/index.ts', build: 'src/build/index.ts' },
  clean: false,
});
const define = { ...base.define, __CONTRACT_VERSION__: JSON.stringify(contractVersion) };
export default defineConfig([
  { ...base, define },
  // ./testing, imported only by a plugin's tests. ESM only: it registers vitest tests, and vitest
  // refuses to be require()d ("Vitest cannot be imported in a CommonJS module"), so a CJS build
  // would be a require condition that always throws.
  packageConfig({ entry: { testing: 'src/testing/index.ts' }, format: ['esm'], clean: false, define }),
]);
