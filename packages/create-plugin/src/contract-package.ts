import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type AnyContract, contractToJson } from '@x/contract';
import validateNpmName from 'validate-npm-package-name';
import { CreateError } from './errors.js';
import type { ContractSource } from './options.js';

const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

function contractError(spec: string, why: string, fix: string, cause?: unknown): CreateError {
  return new CreateError({
    code: 'ERR_CREATE_CONTRACT',
    what: `The contract "${spec}" could not be used.`,
    why,
    fix,
    cause,
  });
}

/** `<package>` or `<package>#<export>`, checked before anything is installed or imported. */
export function parseContractSpec(spec: string): { packageName: string; exportName: string | undefined } {
  const hash = spec.indexOf('#', 1);
  const packageName = hash === -1 ? spec : spec.slice(0, hash);
  const exportName = hash === -1 ? undefined : spec.slice(hash + 1);
  const valid = validateNpmName(packageName);
  if (!valid.validForNewPackages && !valid.validForOldPackages) {
    throw contractError(
      spec,
      `"${packageName}" is not an npm package name (${[...(valid.errors ?? [])].join('; ')}).`,
      'Pass the name of the package that exports the contract, e.g. --contract image-filter-contract.',
    );
  }
  if (exportName !== undefined && !EXPORT_NAME.test(exportName)) {
    throw contractError(
      spec,
      `"${exportName}" is not the name of an export.`,
      'Write it as <package>#<exportName>.',
    );
  }
  return { packageName, exportName };
}

const isContract = (value: unknown): value is AnyContract =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AnyContract).name === 'string' &&
  typeof (value as AnyContract).methods === 'object';

/**
 * The package's package.json, found from `dir` up as Node looks up node_modules (read directly:
 * an `exports` map need not export ./package.json), else undefined.
 */
function resolveFrom(dir: string, packageName: string): string | undefined {
  for (let here = dir; ; here = dirname(here)) {
    const file = join(here, 'node_modules', packageName, 'package.json');
    if (existsSync(file)) return file;
    if (dirname(here) === here) return undefined;
  }
}

/**
 * Installs the package (and, through npm's peers, its @x/contract) into a throw-away folder, with
 * the registry the user's npm uses (`npm create … --registry` passes it on), scripts off.
 */
function installInto(dir: string, spec: string, packageName: string): string {
  const result = spawnSync(
    'npm',
    [
      'install',
      packageName,
      '--prefix',
      dir,
      '--no-save',
      '--no-package-lock',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { encoding: 'utf8', shell: process.platform === 'win32' },
  );
  const found = result.status === 0 ? resolveFrom(dir, packageName) : undefined;
  if (found === undefined) {
    throw contractError(
      spec,
      `npm could not install ${packageName}: ${(result.stderr || result.error?.message || '').trim().split('\n').slice(-3).join(' ')}`,
      `Check the name and your registry, or install ${packageName} in this folder first (npm install ${packageName}) and run again.`,
    );
  }
  return found;
}

/**
 * Reads the contract a package exports, for the generator to write stubs and tests from: found from
 * `cwd` when installed there, else installed into a temporary folder (unless `install` is false).
 * The package is imported: it is code, as every contract package is, and it runs here as it would
 * in the plugin's own tests.
 */
export async function loadContractPackage(
  spec: string,
  cwd: string,
  install: boolean,
): Promise<ContractSource> {
  const { packageName, exportName } = parseContractSpec(spec);
  let manifestPath = resolveFrom(cwd, packageName);
  let temp: string | undefined;
  try {
    if (manifestPath === undefined) {
      if (!install) {
        throw contractError(
          spec,
          `${packageName} is not installed here, and --no-install says not to fetch it.`,
          `Install it first (npm install ${packageName}), or drop --no-install.`,
        );
      }
      temp = mkdtempSync(join(tmpdir(), 'create-greeter-plugin-contract-'));
      manifestPath = installInto(temp, spec, packageName);
    }
    const packageVersion = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown }).version;
    if (typeof packageVersion !== 'string') {
      throw contractError(
        spec,
        `${packageName}'s package.json has no version.`,
        'Use a published contract package.',
      );
    }
    let mod: Record<string, unknown>;
    try {
      const entry = createRequire(join(dirname(manifestPath), 'noop.js')).resolve(packageName);
      mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    } catch (cause) {
      throw contractError(
        spec,
        `Importing ${packageName} threw: ${(cause as Error).message}`,
        'Fix or rebuild the contract package.',
        cause,
      );
    }
    const [name, contract] = pickContract(spec, mod, exportName);
    let json: ContractSource['json'];
    try {
      json = contractToJson(contract);
    } catch (cause) {
      throw contractError(
        spec,
        `Its contract is not valid: ${(cause as Error).message}`,
        'Fix the contract package.',
        cause,
      );
    }
    return { spec, packageName, packageVersion, exportName: name, json };
  } finally {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  }
}

/** The named export, else the default one, else the only export that is a contract. */
function pickContract(
  spec: string,
  mod: Record<string, unknown>,
  exportName: string | undefined,
): [string, AnyContract] {
  const contracts = Object.entries(mod).filter(([, v]) => isContract(v));
  const names = contracts.map(([k]) => k).filter((k) => k !== 'default');
  if (exportName !== undefined) {
    const value = mod[exportName];
    if (isContract(value)) return [exportName, value];
    throw contractError(
      spec,
      `It has no contract exported as "${exportName}".`,
      names.length > 0 ? `Its contracts are: ${names.join(', ')}.` : 'It exports no contract at all.',
    );
  }
  const byDefault = mod.default;
  if (isContract(byDefault)) {
    // The named export that is the same object reads better in the generated import.
    const same = contracts.find(([k, v]) => k !== 'default' && v === byDefault);
    return [same?.[0] ?? 'default', byDefault];
  }
  const [only, ...more] = contracts;
  if (only !== undefined && more.length === 0) return [only[0], only[1] as AnyContract];
  throw contractError(
    spec,
    only === undefined
      ? 'It exports no contract (an object made by defineContract).'
      : `It exports several contracts: ${names.join(', ')}.`,
    only === undefined ? 'Name the right package.' : `Pick one: --contract ${spec}#${names[0]}.`,
  );
}
