import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { type AnyContract, contractFromJson, PluginError } from '@x/contract';
import { entryOf, findPackageDir } from '../load/locate-contract-package.js';
import { importContract } from '../load/resolve-contract.js';

function unreadable(arg: string, why: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin: arg,
    what: `"${arg}" could not be read as a contract.`,
    why,
    fix: 'Pass a contract package (<package>[#<export>]), a path to one, or a JSON file of contractToJson(contract).',
    details: { argument: arg },
  });
}

function readPackageJson(dir: string): Record<string, unknown> {
  try {
    const json: unknown = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8'));
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * One argument of `x-plugin contract diff`: a JSON file (contractToJson's form), a JS module or a
 * package folder by path, or a package name found from `cwd`; each with an optional `#<export>`.
 * A package is imported: it is code, trusted as the host trusts its own contract packages.
 */
export async function loadContractArg(arg: string, cwd: string): Promise<AnyContract> {
  const hash = arg.lastIndexOf('#');
  const spec = hash > 0 ? arg.slice(0, hash) : arg;
  const exportName = hash > 0 ? arg.slice(hash + 1) : undefined;
  const isPath = spec.startsWith('.') || isAbsolute(spec) || extname(spec) === '.json';
  const path = resolve(cwd, spec);
  if (isPath && existsSync(path) && statSync(path).isFile() && extname(path) === '.json') {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw unreadable(arg, `It is not valid JSON (${(error as Error).message}).`);
    }
    try {
      return contractFromJson(json);
    } catch (error) {
      throw unreadable(arg, (error as Error).message);
    }
  }
  let entry: string;
  if (isPath) {
    if (!existsSync(path)) throw unreadable(arg, `${path} does not exist.`);
    entry = statSync(path).isDirectory() ? entryOf(path, readPackageJson(path)) : path;
  } else {
    const dir = findPackageDir(spec, cwd);
    if (dir === undefined) throw unreadable(arg, `No package "${spec}" is installed under ${cwd}.`);
    entry = entryOf(dir, readPackageJson(dir));
  }
  return importContract(arg, { ref: { package: spec, export: exportName }, entry });
}
