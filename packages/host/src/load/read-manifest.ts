import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KNOWN_MANIFEST_FIELDS, type PluginError, validateManifest } from '@x/contract';
import { badManifest } from '../errors.js';
import type { PluginPackage } from '../manifest.js';
import { manifestWarning } from './compat/problems.js';
import { parseRange } from './compat/semver-policy.js';

export { KNOWN_MANIFEST_FIELDS };

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
  const validation = validateManifest(packageJson);
  const problems: PluginError[] = validation.problems.map((p) => badManifest(name, p.field, p.why, p.fix));
  // Not a plugin at all: its version ranges are beside the point.
  if (validation.problems.some((p) => p.field === 'xPlugin'))
    return { name, version, dir, pkg: undefined, problems, warnings: [] };
  problems.push(...checkRanges(name, packageJson));
  const warnings = validation.unknownFields.map((key) =>
    manifestWarning(name, `xPlugin.${key}`, KNOWN_MANIFEST_FIELDS),
  );
  const pkg: PluginPackage | undefined =
    problems.length > 0 || validation.manifest === undefined
      ? undefined
      : { name, version, dir, packageJson, manifest: validation.manifest };
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
