import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../protocol.js';
import { ISOLATIONS, isIsolation } from './isolation.js';
import {
  type GoPluginHandshake,
  KNOWN_MANIFEST_FIELDS,
  type ManifestProblem,
  type PluginManifest,
} from './plugin-manifest.js';
import { readBroker } from './read-broker.js';

/** What validateManifest found: the manifest with its defaults when valid, and every problem, not only the first. */
export interface ManifestValidation {
  /** Set when there is no problem. */
  readonly manifest: PluginManifest | undefined;
  readonly problems: readonly ManifestProblem[];
  /** `xPlugin` fields this release does not know (likely typos); they do not stop loading. */
  readonly unknownFields: readonly string[];
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/**
 * Checks the `xPlugin` manifest of a parsed package.json, without running any plugin code and
 * without touching the file system: the one definition that the host, the SDK and the CLI read.
 * Version ranges (`peerDependencies`, `engines`) are the host's compatibility step, not this.
 * @example const { manifest, problems } = validateManifest(JSON.parse(readFileSync('package.json', 'utf8')));
 */
export function validateManifest(packageJson: unknown): ManifestValidation {
  const problems: ManifestProblem[] = [];
  const fail = (field: string, why: string, fix: string): ManifestValidation => ({
    manifest: undefined,
    problems: [{ field, why, fix }],
    unknownFields: [],
  });
  if (!isRecord(packageJson))
    return fail('package.json', 'is not a JSON object', 'Make package.json a JSON object.');
  const x = packageJson.xPlugin;
  if (x === undefined) {
    return fail(
      'xPlugin',
      'is missing, so this package is not a plugin',
      'Add "xPlugin": { "contract": "greeter" } to package.json, naming the contract it implements.',
    );
  }
  if (!isRecord(x)) {
    return fail('xPlugin', `must be an object, not ${show(x)}`, 'Write it as { "contract": "<name>" }.');
  }
  const problem = (field: string, why: string, fix: string) => problems.push({ field, why, fix });
  if (typeof x.contract !== 'string' || x.contract.trim() === '') {
    problem(
      'xPlugin.contract',
      x.contract === undefined ? 'is missing' : `must be a contract name, not ${show(x.contract)}`,
      'Set it to the name of the contract the plugin implements, such as "greeter", or to the contract\'s package ("<package>" or "<package>#<export>").',
    );
  }
  const exportName = x.export ?? 'plugin';
  if (typeof exportName !== 'string' || exportName === '') {
    problem(
      'xPlugin.export',
      `must be the name of an export, not ${show(x.export)}`,
      'Set it to the exported name of the plugin object, or remove it to use "plugin".',
    );
  }
  const launch = readLaunch(x, problem);
  const isolation = x.isolation ?? launch.isolation ?? 'in-process';
  if (!isIsolation(isolation)) {
    problem(
      'xPlugin.isolation',
      `must be one of ${ISOLATIONS.join(', ')}, not ${show(x.isolation)}`,
      'Set it to "in-process", "worker" or "process", or remove it.',
    );
  }
  const unknownFields = Object.keys(x).filter((key) => !KNOWN_MANIFEST_FIELDS.includes(key));
  if (problems.length > 0) return { manifest: undefined, problems, unknownFields };
  const { isolation: _preferred, ...fields } = launch;
  return {
    manifest: Object.freeze({
      contract: x.contract as string,
      export: exportName as string,
      ...fields,
      isolation: isolation as PluginManifest['isolation'],
    }),
    problems,
    unknownFields,
  };
}

type Problem = (field: string, why: string, fix: string) => void;
type Launch = Pick<PluginManifest, 'protocol' | 'command' | 'handshake' | 'proto' | 'service' | 'broker'> & {
  isolation?: 'process';
};

/**
 * How an isolated plugin starts: a go-plugin binary (`protocol: "go-plugin"` + `command` +
 * `handshake`), a program speaking x's protocol (`command`), or Node (neither). A plugin started by
 * a command always runs in a process of its own, so its manifest may not ask for less.
 */
function readLaunch(x: Json, problem: Problem): Launch {
  const goPlugin = x.protocol === 'go-plugin';
  if (x.protocol !== undefined && x.protocol !== 'x' && !goPlugin) {
    problem(
      'xPlugin.protocol',
      `must be "x", "go-plugin" or absent, not ${show(x.protocol)}`,
      'Remove it (or set "x") for a plugin that speaks x\'s own protocol, or set "go-plugin" for a hashicorp/go-plugin binary.',
    );
    return {};
  }
  const kind = goPlugin ? 'a go-plugin plugin' : 'a plugin started by xPlugin.command';
  const command = x.command;
  if (command === undefined && !goPlugin) return {};
  if (
    !Array.isArray(command) ||
    command.length === 0 ||
    command.some((c) => typeof c !== 'string' || c === '')
  ) {
    problem(
      'xPlugin.command',
      command === undefined ? 'is missing' : `must be a non-empty array of strings, not ${show(command)}`,
      'Set it to the program and its arguments, e.g. ["./bin/my-plugin"] (relative to the package folder) or ["python3", "./plugin.py"] (found on the PATH).',
    );
    return {};
  }
  const program = command[0] as string;
  // A relative program is the package's own file: `../` would run something outside it.
  if (!program.startsWith('/') && program.includes('/') && program.split(/[\\/]/).includes('..')) {
    problem(
      'xPlugin.command',
      `names a program outside the package (${show(program)})`,
      'Point it at a file inside the package folder (e.g. "./bin/plugin"), or at a program on the PATH by its bare name.',
    );
  }
  if (x.isolation !== undefined && x.isolation !== 'process') {
    problem(
      'xPlugin.isolation',
      `must be "process" for ${kind}, not ${show(x.isolation)}`,
      `${kind[0]!.toUpperCase()}${kind.slice(1)} always runs in its own process: set "isolation": "process" or remove it.`,
    );
  }
  const launch: Launch = { command: Object.freeze([...(command as string[])]), isolation: 'process' };
  if (!goPlugin) {
    for (const field of ['proto', 'service', 'broker'] as const) {
      if (x[field] !== undefined)
        problem(
          `xPlugin.${field}`,
          'is for go-plugin plugins only',
          'Remove it, or set "protocol": "go-plugin".',
        );
    }
    return launch;
  }
  const handshake = readHandshake(x.handshake, problem);
  const service = readService(x, problem);
  const broker = readBroker(x.broker, service.service !== undefined, problem);
  return handshake === undefined
    ? launch
    : { protocol: 'go-plugin', ...launch, handshake, ...service, ...broker };
}

/** A fully qualified protobuf name: dot-separated identifiers (`proto.KV`, `x.greeter.v1.Greeter`). */
const QUALIFIED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * go-plugin's own service: `proto` (a .proto file inside the package, checked for existence by
 * the host, which reads files) and `service`, given together. The path may not leave the package:
 * no `..` segment, not absolute, no backslash (one spelling on every OS).
 */
function readService(x: Json, problem: Problem): Pick<PluginManifest, 'proto' | 'service'> {
  const { proto, service } = x;
  if (proto === undefined && service === undefined) return {};
  let ok = true;
  const pathFix =
    'Set it to the path of the plugin\'s .proto file inside its package, such as "proto/kv.proto".';
  if (proto === undefined) {
    problem('xPlugin.proto', 'is missing, and xPlugin.service needs it', pathFix);
    ok = false;
  } else if (typeof proto !== 'string' || proto.trim() === '' || !proto.endsWith('.proto')) {
    problem('xPlugin.proto', `must be the path of a .proto file, not ${show(proto)}`, pathFix);
    ok = false;
  } else if (
    proto.startsWith('/') ||
    /^[A-Za-z]:/.test(proto) ||
    proto.includes('\\') ||
    proto.split('/').includes('..')
  ) {
    problem('xPlugin.proto', `names a file outside the package (${show(proto)})`, pathFix);
    ok = false;
  }
  const serviceFix =
    'Set it to the fully qualified name of the gRPC service, `<proto package>.<Service>`, such as "proto.KV".';
  if (service === undefined) {
    problem('xPlugin.service', 'is missing, and xPlugin.proto needs it', serviceFix);
    ok = false;
  } else if (typeof service !== 'string' || !QUALIFIED.test(service)) {
    problem('xPlugin.service', `must be a fully qualified service name, not ${show(service)}`, serviceFix);
    ok = false;
  }
  return ok ? { proto: proto as string, service: service as string } : {};
}

/** go-plugin's HandshakeConfig, defaulting to @x/contract's cookie and app protocol version 1. */
function readHandshake(raw: unknown, problem: Problem): GoPluginHandshake | undefined {
  const fix =
    'Write it as go-plugin\'s HandshakeConfig: { "protocolVersion": 1, "magicCookieKey": "...", "magicCookieValue": "..." }.';
  const h = raw ?? {};
  if (!isRecord(h)) {
    problem('xPlugin.handshake', `must be an object, not ${show(raw)}`, fix);
    return undefined;
  }
  const protocolVersion = h.protocolVersion ?? 1;
  let ok = true;
  if (!Number.isSafeInteger(protocolVersion) || (protocolVersion as number) < 1) {
    problem(
      'xPlugin.handshake.protocolVersion',
      `must be a positive integer, not ${show(h.protocolVersion)}`,
      fix,
    );
    ok = false;
  }
  for (const field of ['magicCookieKey', 'magicCookieValue'] as const) {
    if (h[field] !== undefined && (typeof h[field] !== 'string' || h[field] === '')) {
      problem(`xPlugin.handshake.${field}`, `must be a non-empty string, not ${show(h[field])}`, fix);
      ok = false;
    }
  }
  if (!ok) return undefined;
  return Object.freeze({
    protocolVersion: protocolVersion as number,
    magicCookieKey: (h.magicCookieKey as string | undefined) ?? MAGIC_COOKIE_KEY,
    magicCookieValue: (h.magicCookieValue as string | undefined) ?? MAGIC_COOKIE_VALUE,
  });
}
