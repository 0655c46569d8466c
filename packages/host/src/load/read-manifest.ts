import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { badManifest } from '../errors.js';
import { readGoManifest } from '../go-plugin/read-go-manifest.js';
import { ISOLATIONS, type Isolation, type PluginPackage } from '../manifest.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and validates a plugin's package.json and its `xPlugin` manifest. No plugin code runs. */
export function readManifest(dir: string, spec: string): PluginPackage {
  const file = join(dir, 'package.json');
  let packageJson: unknown;
  try {
    packageJson = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw badManifest(
      spec,
      'package.json',
      `could not be read as JSON (${(error as Error).message})`,
      `Fix the JSON syntax of ${file}.`,
    );
  }
  if (!isRecord(packageJson)) {
    throw badManifest(spec, 'package.json', 'is not a JSON object', `Make ${file} a JSON object.`);
  }
  const name = typeof packageJson.name === 'string' ? packageJson.name : basename(dir);
  const version = typeof packageJson.version === 'string' ? packageJson.version : '0.0.0';
  const x = packageJson.xPlugin;
  if (x === undefined) {
    throw badManifest(
      name,
      'xPlugin',
      'is missing, so this package is not a plugin',
      `Add "xPlugin": { "contract": "greeter" } to ${file}, naming the contract it implements.`,
    );
  }
  if (!isRecord(x)) {
    throw badManifest(
      name,
      'xPlugin',
      `must be an object, not ${JSON.stringify(x)}`,
      'Write it as { "contract": "<name>" }.',
    );
  }
  if (typeof x.contract !== 'string' || x.contract === '') {
    throw badManifest(
      name,
      'xPlugin.contract',
      x.contract === undefined ? 'is missing' : `must be a contract name, not ${JSON.stringify(x.contract)}`,
      'Set it to the name of the contract the plugin implements, such as "greeter" or "transformer".',
    );
  }
  const exportName = x.export ?? 'plugin';
  if (typeof exportName !== 'string' || exportName === '') {
    throw badManifest(
      name,
      'xPlugin.export',
      `must be the name of an export, not ${JSON.stringify(x.export)}`,
      'Set it to the exported name of the plugin object, or remove it to use "plugin".',
    );
  }
  const goFields = readGoManifest(name, x);
  const isolation = x.isolation ?? goFields.isolation ?? 'in-process';
  if (!ISOLATIONS.includes(isolation as Isolation)) {
    throw badManifest(
      name,
      'xPlugin.isolation',
      `must be one of ${ISOLATIONS.join(', ')}, not ${JSON.stringify(x.isolation)}`,
      'Set it to "in-process", "worker" or "process", or remove it.',
    );
  }
  return {
    name,
    version,
    dir,
    packageJson,
    manifest: { contract: x.contract, export: exportName, ...goFields, isolation: isolation as Isolation },
  };
}
