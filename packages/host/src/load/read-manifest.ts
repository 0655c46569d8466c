import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PluginError } from '@x/contract';
import { badManifest } from '../errors.js';
import { ISOLATIONS, type Isolation, type PluginPackage } from '../manifest.js';
import { readGoManifest } from '../runtimes/go-plugin/read-go-manifest.js';
import { manifestWarning } from './compat/problems.js';
import { parseRange } from './compat/semver-policy.js';
import { readCommandManifest } from './read-command.js';

/** The `xPlugin` fields this release reads or reserves (DESIGN.md); any other is likely a typo. */
export const KNOWN_MANIFEST_FIELDS: readonly string[] = [
  'contract',
  'export',
  'isolation',
  'integrity',
  'permissions',
  'engines',
  // go-plugin binaries (src/go-plugin) and other-language plugins: how to start them.
  'protocol',
  'command',
  'handshake',
];

/** Everything read from a plugin's package.json, with every problem found, not only the first. */
export interface ManifestInspection {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  /** Set when the manifest is valid. */
  readonly pkg: PluginPackage | undefined;
  /** ERR_PLUGIN_MANIFEST errors, each naming its field in `details.field`. */
  readonly problems: readonly PluginError[];
  /** Oddities that do not stop loading, such as an unknown xPlugin field. */
  readonly warnings: readonly PluginError[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and validates a plugin's package.json and its `xPlugin` manifest. No plugin code runs. */
export function readManifest(dir: string, spec: string): PluginPackage {
  const inspection = inspectManifest(dir, spec);
  const [first] = inspection.problems;
  if (first !== undefined) throw first;
  return inspection.pkg!;
}

/** Like readManifest, but returns every problem instead of throwing the first (for doctor). */
export function inspectManifest(dir: string, spec: string, parsed?: unknown): ManifestInspection {
  const file = join(dir, 'package.json');
  const fail = (name: string, field: string, why: string, fix: string, version = '0.0.0') => ({
    name,
    version,
    dir,
    pkg: undefined,
    problems: [badManifest(name, field, why, fix)],
    warnings: [],
  });
  let packageJson: unknown = parsed;
  try {
    packageJson ??= JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const why = `could not be read as JSON (${(error as Error).message})`;
    return fail(spec, 'package.json', why, `Fix the JSON syntax of ${file}.`);
  }
  if (!isRecord(packageJson)) {
    return fail(spec, 'package.json', 'is not a JSON object', `Make ${file} a JSON object.`);
  }
  const name = typeof packageJson.name === 'string' ? packageJson.name : basename(dir);
  const version = typeof packageJson.version === 'string' ? packageJson.version : '0.0.0';
  const x = packageJson.xPlugin;
  if (x === undefined) {
    const fix = `Add "xPlugin": { "contract": "greeter" } to ${file}, naming the contract it implements.`;
    return fail(name, 'xPlugin', 'is missing, so this package is not a plugin', fix, version);
  }
  if (!isRecord(x)) {
    const why = `must be an object, not ${JSON.stringify(x)}`;
    return fail(name, 'xPlugin', why, 'Write it as { "contract": "<name>" }.', version);
  }
  const problems: PluginError[] = [];
  const problem = (field: string, why: string, fix: string) =>
    problems.push(badManifest(name, field, why, fix));
  if (typeof x.contract !== 'string' || x.contract === '') {
    problem(
      'xPlugin.contract',
      x.contract === undefined ? 'is missing' : `must be a contract name, not ${JSON.stringify(x.contract)}`,
      'Set it to the name of the contract the plugin implements, such as "greeter" or "transformer".',
    );
  }
  const exportName = x.export ?? 'plugin';
  if (typeof exportName !== 'string' || exportName === '') {
    problem(
      'xPlugin.export',
      `must be the name of an export, not ${JSON.stringify(x.export)}`,
      'Set it to the exported name of the plugin object, or remove it to use "plugin".',
    );
  }
  // How an isolated plugin starts: a go-plugin binary, a command speaking x's protocol, or Node.
  // Their readers throw their first problem; here it is collected like every other one.
  let launch: ReturnType<typeof readGoManifest> & ReturnType<typeof readCommandManifest> = {};
  try {
    const goFields = readGoManifest(name, x);
    launch = goFields.protocol === undefined ? readCommandManifest(name, x) : goFields;
  } catch (error) {
    if (!PluginError.isInstance(error)) throw error;
    problems.push(error);
  }
  const isolation = x.isolation ?? launch.isolation ?? 'in-process';
  if (!ISOLATIONS.includes(isolation as Isolation)) {
    problem(
      'xPlugin.isolation',
      `must be one of ${ISOLATIONS.join(', ')}, not ${JSON.stringify(x.isolation)}`,
      'Set it to "in-process", "worker" or "process", or remove it.',
    );
  }
  problems.push(...checkRanges(name, packageJson));
  const warnings = Object.keys(x)
    .filter((key) => !KNOWN_MANIFEST_FIELDS.includes(key))
    .map((key) => manifestWarning(name, `xPlugin.${key}`, KNOWN_MANIFEST_FIELDS));
  const pkg: PluginPackage | undefined =
    problems.length > 0
      ? undefined
      : {
          name,
          version,
          dir,
          packageJson,
          manifest: {
            contract: x.contract as string,
            export: exportName as string,
            ...launch,
            isolation: isolation as Isolation,
          },
        };
  return { name, version, dir, pkg, problems, warnings };
}

/** The version ranges a plugin declares: they must be present (the contract's) and readable. */
function checkRanges(name: string, packageJson: Record<string, unknown>): PluginError[] {
  const problems: PluginError[] = [];
  const peers = packageJson.peerDependencies;
  const range = isRecord(peers) ? peers['@x/contract'] : undefined;
  const field = 'peerDependencies["@x/contract"]';
  if (range === undefined) {
    const deps = packageJson.dependencies;
    const inDeps = isRecord(deps) && typeof deps['@x/contract'] === 'string';
    problems.push(
      badManifest(
        name,
        field,
        'is missing, so the host cannot tell which versions of the contract the plugin was written for',
        inDeps
          ? 'Move "@x/contract" from "dependencies" to "peerDependencies", so that the plugin shares the host\'s copy.'
          : 'Add "peerDependencies": { "@x/contract": "^1.0.0" } with the range of @x/contract versions the plugin works with.',
      ),
    );
  } else if (typeof range !== 'string' || parseRange(range) === undefined) {
    problems.push(
      badManifest(
        name,
        field,
        `must be a semver range, not ${JSON.stringify(range)}`,
        'Write a range npm understands, such as "^1.0.0".',
      ),
    );
  }
  const engines = packageJson.engines;
  const node = isRecord(engines) ? engines.node : undefined;
  if (engines !== undefined && !isRecord(engines)) {
    problems.push(
      badManifest(
        name,
        'engines',
        `must be an object, not ${JSON.stringify(engines)}`,
        'Write it as { "node": ">=20" }.',
      ),
    );
  } else if (node !== undefined && (typeof node !== 'string' || parseRange(node) === undefined)) {
    problems.push(
      badManifest(
        name,
        'engines.node',
        `must be a semver range, not ${JSON.stringify(node)}`,
        'Write a range of Node.js versions, such as ">=20", or remove it.',
      ),
    );
  }
  return problems;
}
