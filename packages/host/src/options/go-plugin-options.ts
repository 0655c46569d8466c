import type { AnyContract } from '@x/contract';
import { contractProblem } from './check-contract.js';
import { isRecord } from './check-values.js';
import { describeValue } from './option-error.js';

/**
 * One app protocol version a go-plugin host offers (go-plugin's `VersionedPlugins`): the contract
 * and gRPC service the plugin serves when it chooses this version. Each part left out is the
 * load's own: `contract` the load's contract, `proto` and `service` the manifest's.
 */
export interface GoPluginVersion {
  readonly contract?: AnyContract;
  /** A .proto file inside the plugin's package, as xPlugin.proto. */
  readonly proto?: string;
  /** The fully qualified gRPC service, as xPlugin.service. */
  readonly service?: string;
}

/**
 * go-plugin's ReattachConfig: connect to a go-plugin server that is already running (started by
 * hand, under a debugger) instead of starting it. The host never ends what it did not start.
 */
export interface GoPluginReattach {
  /** What the plugin's handshake line named: a unix socket path (`/tmp/plugin123`, or `unix:/tmp/…`) or `host:port`. */
  readonly address: string;
  /** The plugin's process id: watched, so that its exit fails calls as a crash would. */
  readonly pid: number;
  /** The app protocol version it serves (its handshake's second field); default: the only one offered. */
  readonly protocolVersion?: number;
}

export interface GoPluginOptions {
  /** Offered versions, highest first, or undefined: the manifest's handshake.protocolVersion alone. */
  readonly versions: ReadonlyMap<number, GoPluginVersion> | undefined;
  readonly reattach: (GoPluginReattach & { readonly network: 'unix' | 'tcp' }) | undefined;
}

type Fail = (option: string, why: string, fix: string, value: unknown) => never;

const PATH_FIX = 'Give the path of a .proto file inside the plugin\'s package, such as "proto/kv.proto".';
const QUALIFIED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const isVersion = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

/** Checks the go-plugin load options `versions` and `reattach` (ERR_PLUGIN_OPTIONS naming the part at fault). */
export function resolveGoPluginOptions(o: Record<string, unknown>, fail: Fail): GoPluginOptions {
  return { versions: readVersions(o.versions, fail), reattach: readReattach(o.reattach, fail) };
}

function readVersions(raw: unknown, fail: Fail): GoPluginOptions['versions'] {
  if (raw === undefined) return undefined;
  const fix =
    'Pass { 1: { contract, proto, service }, 2: { ... } }: each key an app protocol version, each part optional.';
  if (!isRecord(raw) || Object.keys(raw).length === 0)
    fail('versions', `must be a non-empty object of protocol versions, not ${describeValue(raw)}`, fix, raw);
  const out = new Map<number, GoPluginVersion>();
  for (const [key, spec] of Object.entries(raw as Record<string, unknown>)) {
    const at = `versions.${key}`;
    const version = Number(key);
    if (!/^[1-9][0-9]*$/.test(key) || !isVersion(version))
      fail('versions', `"${key}" is not an app protocol version (a positive integer)`, fix, raw);
    if (!isRecord(spec)) fail(at, `must be an object, not ${describeValue(spec)}`, fix, spec);
    const { contract, proto, service, ...rest } = spec as Record<string, unknown>;
    const [unknown] = Object.keys(rest);
    if (unknown !== undefined) fail(`${at}.${unknown}`, 'no such part of a version', fix, rest[unknown]);
    if (contract !== undefined) {
      const problem = contractProblem(contract);
      if (problem !== undefined)
        fail(`${at}.contract`, problem, 'Pass a contract made by defineContract.', contract);
    }
    if (proto !== undefined) {
      if (
        typeof proto !== 'string' ||
        !proto.endsWith('.proto') ||
        proto.startsWith('/') ||
        proto.includes('\\') ||
        proto.split('/').includes('..')
      )
        fail(
          `${at}.proto`,
          `must be a .proto path inside the plugin's package, not ${describeValue(proto)}`,
          PATH_FIX,
          proto,
        );
    }
    if (service !== undefined && (typeof service !== 'string' || !QUALIFIED.test(service)))
      fail(
        `${at}.service`,
        `must be a fully qualified service name, not ${describeValue(service)}`,
        'Pass "<proto package>.<Service>", such as "proto.KV".',
        service,
      );
    out.set(
      version,
      Object.freeze({
        contract: contract as AnyContract | undefined,
        proto: proto as string | undefined,
        service: service as string | undefined,
      }),
    );
  }
  return new Map([...out].sort(([a], [b]) => b - a));
}

function readReattach(raw: unknown, fail: Fail): GoPluginOptions['reattach'] {
  if (raw === undefined) return undefined;
  const fix =
    "Pass { address, pid } from the plugin's handshake line (e.g. { address: '/tmp/plugin123', pid: 4242 }).";
  if (!isRecord(raw)) fail('reattach', `must be an object, not ${describeValue(raw)}`, fix, raw);
  const { address, pid, protocolVersion, ...rest } = raw as Record<string, unknown>;
  const [unknown] = Object.keys(rest);
  if (unknown !== undefined) fail(`reattach.${unknown}`, 'no such part of reattach', fix, rest[unknown]);
  if (typeof address !== 'string' || address.trim() === '')
    fail(
      'reattach.address',
      `must be a socket path or host:port, not ${describeValue(address)}`,
      fix,
      address,
    );
  if (!Number.isSafeInteger(pid) || (pid as number) < 1)
    fail('reattach.pid', `must be a process id (a positive integer), not ${describeValue(pid)}`, fix, pid);
  if (protocolVersion !== undefined && !isVersion(protocolVersion))
    fail(
      'reattach.protocolVersion',
      `must be a positive integer, not ${describeValue(protocolVersion)}`,
      fix,
      protocolVersion,
    );
  const addr = (address as string).replace(/^unix:/, '');
  const network: 'unix' | 'tcp' = addr.startsWith('/') ? 'unix' : 'tcp';
  if (network === 'tcp' && !/^[^\s/]+:[0-9]{1,5}$/.test(addr))
    fail(
      'reattach.address',
      `must be an absolute unix socket path or host:port, not ${describeValue(address)}`,
      fix,
      address,
    );
  return Object.freeze({
    address: addr,
    pid: pid as number,
    network,
    ...(protocolVersion === undefined ? {} : { protocolVersion: protocolVersion as number }),
  });
}
