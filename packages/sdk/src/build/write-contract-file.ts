import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AnyContract, contractToJson } from '@x/contract';

/** The file the host reads beside a plugin's package.json (docs/compatibility.md, structural compatibility). */
export const CONTRACT_FILE = 'x-plugin.contract.json';

/**
 * Writes `x-plugin.contract.json`, the contract the plugin is built against, into the plugin's
 * package folder, so that a host checks its structure before running any plugin code (without it
 * the host falls back to the stamp in the code, after import). Call it from the plugin's build and
 * list the file in package.json `files`.
 * @example // tsup.config.ts
 * export default defineConfig({ entry: ['src/index.ts'], onSuccess: async () => writeContractFile(greeter) });
 */
export function writeContractFile(contract: AnyContract, dir: string = process.cwd()): string {
  const file = join(dir, CONTRACT_FILE);
  writeFileSync(file, `${JSON.stringify(contractToJson(contract), null, 2)}\n`);
  return file;
}
