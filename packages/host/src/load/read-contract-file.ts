import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractJson } from '@x/contract';
import { badManifest } from '../errors.js';
import type { PluginPackage } from '../manifest.js';

/** The file a plugin's build writes beside its package.json: the contract it was built against. */
export const CONTRACT_FILE = 'x-plugin.contract.json';

/**
 * Reads the plugin's `x-plugin.contract.json` (`contractToJson(contract)`, written at build time),
 * so that the structural check runs before any plugin code; undefined when the build wrote none.
 */
export function readContractFile(pkg: PluginPackage): ContractJson | undefined {
  const file = join(pkg.dir, CONTRACT_FILE);
  // Most plugins ship none: a stat that answers undefined costs far less than the ENOENT error
  // readFileSync would throw (its message and stack), paid once per load.
  if (statSync(file, { throwIfNoEntry: false }) === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw badManifest(
      pkg.name,
      CONTRACT_FILE,
      `could not be read as JSON (${(error as Error).message})`,
      'Rebuild the plugin, so that its build writes the file again.',
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw badManifest(
      pkg.name,
      CONTRACT_FILE,
      'is not a JSON object',
      'Rebuild the plugin, so that its build writes the file again.',
    );
  }
  return json as ContractJson;
}
