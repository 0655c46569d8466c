import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.ts';

const contractPkg = createRequire(import.meta.url).resolve('@x/contract/package.json');
const contractVersion = (JSON.parse(readFileSync(contractPkg, 'utf8')) as { version: string }).version;

export default mergeConfig(packageTestConfig(import.meta.dirname), {
  define: { __CONTRACT_VERSION__: JSON.stringify(contractVersion) },
});
