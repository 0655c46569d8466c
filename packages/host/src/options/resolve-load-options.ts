import type { AnyContract, PluginError } from '@x/contract';
import { DEFAULT_BACKPRESSURE } from '../core/backpressure.js';
import type { RestartPolicy } from '../core/restart-policy.js';
import { type Logger, stderrLogger } from '../logger.js';
import { ISOLATIONS, type Isolation } from '../manifest.js';
import type { PermissionsOption } from '../permissions/grants.js';
import type { PermissionPolicy } from '../permissions/policy.js';
import { DEFAULT_DISPOSE_TIMEOUT_MS } from '../talkback/dispose.js';
import { DEFAULT_HOST_TIMEOUT_MS, type HostFunctions } from '../talkback/host-functions.js';
import type { TalkbackOptions } from '../talkback/options.js';
import { contractProblem } from './check-contract.js';
import { checkScale } from './check-scale.js';
import { checkPermissions, resolveContracts, resolveRestart } from './check-shapes.js';
import { isAbortSignal, isRecord, isStringRecord, isTimeout, MAX_TIMEOUT_MS } from './check-values.js';
import { type GoPluginOptions, resolveGoPluginOptions } from './go-plugin-options.js';
import type { LoadOptions } from './load-options.js';
import { type ResolvedObserveOptions, resolveObserveOptions } from './observe-options.js';
import { badOption, describeValue } from './option-error.js';

/** Start timeout of a Node or command plugin: from start to a completed handshake. */
export const DEFAULT_START_TIMEOUT_MS = 10_000;
/** go-plugin's own default StartTimeout, kept for go-plugin binaries. */
export const DEFAULT_GO_START_TIMEOUT_MS = 60_000;
export const DEFAULT_HEALTH_TIMEOUT_MS = 2_000;

/** Every load option, validated, with every default applied: what the rest of the host reads. */
export interface ResolvedLoadOptions extends ResolvedObserveOptions {
  readonly spec: string;
  readonly cwd: string;
  readonly contract: AnyContract | undefined;
  readonly contracts: Readonly<Record<string, AnyContract>>;
  /** The caller's isolation, if it overrides the manifest's. */
  readonly isolation: Isolation | undefined;
  readonly integrity: string | undefined;
  readonly permissions: PermissionsOption | undefined;
  /** The host's policy for `permissions: 'manifest'` (checked by resolvePermissions). */
  readonly allowPermissions: PermissionPolicy['allowPermissions'];
  readonly approvePermissions: PermissionPolicy['approvePermissions'];
  readonly logger: Logger;
  /** undefined: the runtime's default (DEFAULT_START_TIMEOUT_MS, or go-plugin's 60 s). */
  readonly startTimeout: number | undefined;
  readonly callTimeout: number | undefined;
  readonly healthTimeout: number;
  readonly env: Readonly<Record<string, string>>;
  readonly maxHeapMb: number | undefined;
  readonly execArgv: readonly string[];
  readonly restart: RestartPolicy | false;
  readonly maxPendingCalls: number;
  readonly maxQueuedBytes: number;
  readonly server: string | undefined;
  readonly onCrash: ((error: PluginError) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  /** talkback: handed to the plugin as ctx.config (checked against the contract's config schema at load). */
  readonly config: unknown;
  /** talkback: the contract's host functions, as the application implements them. */
  readonly host: HostFunctions | undefined;
  readonly hostTimeout: number;
  readonly disposeTimeout: number;
  readonly onRestart: TalkbackOptions['onRestart'];
  /** go-plugin AutoMTLS: true requires it, false turns it off, undefined uses it wherever the plugin does. */
  readonly autoMTLS: boolean | undefined;
  /** go-plugin: the app protocol versions offered, each with its contract or service (versions). */
  readonly versions: GoPluginOptions['versions'];
  /** go-plugin: a running plugin to connect to instead of starting one (reattach). */
  readonly reattach: GoPluginOptions['reattach'];
  /** Scale: the isolation group this plugin shares a worker or process with (docs/reliability.md). */
  readonly group: string | undefined;
  /** Scale: start on the first call rather than in load(). */
  readonly lazy: boolean;
  /** Scale: ms without a call in flight after which the plugin is stopped (and restarted on the next call). */
  readonly idleTimeout: number | undefined;
  /** Which options the caller set, so a runtime can refuse those it cannot honour. */
  readonly given: ReadonlySet<string>;
}

/** Every option name a load takes: any other key is a typo, refused rather than ignored. */
const KNOWN = new Set([
  'contract',
  'contracts',
  'isolation',
  'cwd',
  'integrity',
  'permissions',
  'allowPermissions',
  'approvePermissions',
  'logger',
  'startTimeout',
  'timeout',
  'callTimeout',
  'healthTimeout',
  'env',
  'maxHeapMb',
  'execArgv',
  'restart',
  'maxPendingCalls',
  'maxQueuedBytes',
  'server',
  'onCrash',
  'signal',
  'config',
  'host',
  'hostTimeout',
  'disposeTimeout',
  'onRestart',
  'autoMTLS',
  'versions',
  'reattach',
  'group',
  'lazy',
  'idleTimeout',
  'watch',
  'unresponsiveTimeout',
  'onUnresponsive',
  'profileOnHang',
]);

/**
 * Checks every load option and applies every default, once, into one frozen object (go-plugin's
 * NewClient): an invalid value is ERR_PLUGIN_OPTIONS naming the option, before anything is read
 * from disk or started. Whether the plugin's runtime can honour an option is decided later, by
 * refuseUnsupported(), once the manifest says what the plugin is.
 */
export function resolveLoadOptions<C extends AnyContract = AnyContract>(
  spec: string,
  options: LoadOptions<C> = {},
): ResolvedLoadOptions {
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw badOption(
      '',
      'spec',
      `the plugin to load must be a non-empty string (a package name or a path), not ${describeValue(spec)}`,
      'Pass the package name of the plugin, or the path to its folder.',
      spec,
    );
  }
  const fail = (option: string, why: string, fix: string, value: unknown): never => {
    throw badOption(spec, option, why, fix, value);
  };
  if (options === undefined || options === null) options = {};
  if (!isRecord(options))
    fail(
      'options',
      `must be an object, not ${describeValue(options)}`,
      'Pass an options object, or none.',
      options,
    );
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key) && o[key] !== undefined) {
      fail(key, 'no such load option', `Remove it; the load options are: ${[...KNOWN].join(', ')}.`, o[key]);
    }
  }
  const given = new Set(Object.keys(o).filter((k) => o[k] !== undefined));

  const timeoutOf = (name: string): number | undefined => {
    const v = o[name];
    if (v === undefined) return undefined;
    if (!isTimeout(v)) {
      fail(
        name,
        `must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, not ${describeValue(v)}`,
        `Pass a positive integer (ms), or leave "${name}" out for the default.`,
        v,
      );
    }
    return v as number;
  };
  const startTimeout = timeoutOf('startTimeout');
  const legacyTimeout = timeoutOf('timeout');
  if (startTimeout !== undefined && legacyTimeout !== undefined && startTimeout !== legacyTimeout) {
    fail(
      'timeout',
      `it is the old name of "startTimeout", and the two differ (${legacyTimeout} and ${startTimeout})`,
      'Pass only "startTimeout" (the "timeout" load option is deprecated).',
      legacyTimeout,
    );
  }
  if (legacyTimeout !== undefined) given.add('startTimeout');

  const cwd = o.cwd ?? process.cwd();
  if (typeof cwd !== 'string' || cwd === '')
    fail('cwd', `must be a non-empty string, not ${describeValue(cwd)}`, 'Pass a folder path.', cwd);

  if (o.isolation !== undefined && !ISOLATIONS.includes(o.isolation as Isolation)) {
    fail(
      'isolation',
      `must be one of ${ISOLATIONS.join(', ')}, not ${describeValue(o.isolation)}`,
      'Pass "in-process", "worker" or "process", or leave it out for the manifest\'s choice.',
      o.isolation,
    );
  }

  if (o.contract !== undefined) {
    const problem = contractProblem(o.contract);
    if (problem !== undefined)
      fail(
        'contract',
        problem,
        'Pass a contract made by defineContract (or a built-in one, such as greeter).',
        o.contract,
      );
  }
  const contracts = resolveContracts(o.contracts, fail);

  if (o.integrity !== undefined && (typeof o.integrity !== 'string' || o.integrity.trim() === '')) {
    fail(
      'integrity',
      `must be a "sha512-…" string or "lockfile", not ${describeValue(o.integrity)}`,
      'Pass the value computeIntegrity() prints, or "lockfile".',
      o.integrity,
    );
  }
  checkPermissions(o.permissions, fail);

  const logger = o.logger ?? stderrLogger;
  if (!isRecord(logger) || typeof logger.log !== 'function') {
    fail(
      'logger',
      `must be an object with a log(level, message, fields) method, not ${describeValue(logger)}`,
      'Pass a Logger (stderrLogger, silentLogger, or your own).',
      logger,
    );
  }
  if (o.env !== undefined && !isStringRecord(o.env)) {
    fail(
      'env',
      `must be an object of string values, not ${describeValue(o.env)}`,
      'Pass { NAME: "value" } with string values only.',
      o.env,
    );
  }
  if (o.maxHeapMb !== undefined && !isTimeout(o.maxHeapMb)) {
    fail(
      'maxHeapMb',
      `must be a positive whole number of MB, not ${describeValue(o.maxHeapMb)}`,
      'Pass a heap limit such as 256.',
      o.maxHeapMb,
    );
  }
  if (
    o.execArgv !== undefined &&
    (!Array.isArray(o.execArgv) || o.execArgv.some((a) => typeof a !== 'string'))
  ) {
    fail(
      'execArgv',
      `must be an array of strings, not ${describeValue(o.execArgv)}`,
      'Pass Node flags such as ["--no-warnings"].',
      o.execArgv,
    );
  }
  if (o.server !== undefined && (typeof o.server !== 'string' || o.server === '')) {
    fail(
      'server',
      `must be the path of a script, not ${describeValue(o.server)}`,
      'Pass the path of a file that calls serve() from @x/sdk.',
      o.server,
    );
  }
  if (o.onCrash !== undefined && typeof o.onCrash !== 'function') {
    fail(
      'onCrash',
      `must be a function, not ${describeValue(o.onCrash)}`,
      'Pass (error) => { ... }, or leave it out.',
      o.onCrash,
    );
  }
  if (o.autoMTLS !== undefined && typeof o.autoMTLS !== 'boolean') {
    fail(
      'autoMTLS',
      `must be true or false, not ${describeValue(o.autoMTLS)}`,
      'Pass true (require mutual TLS), false (plain gRPC), or leave it out (TLS wherever the plugin offers it).',
      o.autoMTLS,
    );
  }
  if (o.signal !== undefined && !isAbortSignal(o.signal)) {
    fail(
      'signal',
      `must be an AbortSignal, not ${describeValue(o.signal)}`,
      'Pass controller.signal from an AbortController, or AbortSignal.timeout(ms).',
      o.signal,
    );
  }
  if (o.host !== undefined) {
    const bad = isRecord(o.host)
      ? Object.entries(o.host).find(([, fn]) => typeof fn !== 'function')
      : undefined;
    if (!isRecord(o.host) || bad !== undefined) {
      fail(
        'host',
        bad === undefined
          ? `must be an object of functions, not ${describeValue(o.host)}`
          : `must be an object of functions, but "${bad[0]}" is ${describeValue(bad[1])}`,
        "Pass the contract's host functions: { log: (line) => { ... } }.",
        o.host,
      );
    }
  }
  if (o.onRestart !== undefined && typeof o.onRestart !== 'function') {
    fail(
      'onRestart',
      `must be a function, not ${describeValue(o.onRestart)}`,
      'Pass (handle) => { ... }, or leave it out.',
      o.onRestart,
    );
  }
  const group = checkScale(o, fail);
  if (o.lazy === true && o.versions !== undefined) {
    // The plugin's choice of version picks the handle's contract, known only once it started.
    fail(
      'lazy',
      "cannot be combined with versions: the protocol version the plugin picks decides the handle's contract, which load() must return",
      'Leave out lazy (the plugin starts in load()), or offer one version.',
      o.lazy,
    );
  }
  const limit = (name: 'maxPendingCalls' | 'maxQueuedBytes', fallback: number): number => {
    const v = o[name];
    if (v === undefined) return fallback;
    if (v !== Number.POSITIVE_INFINITY && !(typeof v === 'number' && Number.isSafeInteger(v) && v > 0)) {
      fail(
        name,
        `must be a positive whole number or Infinity, not ${describeValue(v)}`,
        `Pass a cap such as ${fallback}, or Infinity for none.`,
        v,
      );
    }
    return v as number;
  };

  const observe = resolveObserveOptions(o, fail);
  if (observe.watch) {
    // A reload swaps one instance for another under one handle: an isolate shared with other
    // plugins, a start deferred or undone, or a plugin the host did not start has no such swap.
    for (const other of ['group', 'lazy', 'idleTimeout', 'reattach', 'versions'] as const) {
      if (o[other] === undefined || o[other] === false) continue;
      fail(
        'watch',
        `cannot be combined with ${other}: a reload starts a fresh instance beside the old one and swaps it in, which ${other} has no place for`,
        `Leave out ${other} while developing the plugin (x-plugin dev), or leave out watch.`,
        o.watch,
      );
    }
  }

  const goPlugin = resolveGoPluginOptions(o, fail);
  // One literal with every key written out, no spread: V8 builds it from a boilerplate map in
  // ~0.2 µs, where the same object with spreads among its ~45 keys took ~50 µs a load (measured
  // with 10,000 calls on Node 20: each key after a spread is added one by one, and the object
  // ends in dictionary mode, so every later copy and read of it is slow too).
  return Object.freeze({
    watch: observe.watch,
    unresponsiveTimeout: observe.unresponsiveTimeout,
    onUnresponsive: observe.onUnresponsive,
    profileOnHang: observe.profileOnHang,
    spec,
    cwd: cwd as string,
    contract: o.contract as AnyContract | undefined,
    contracts,
    isolation: o.isolation as Isolation | undefined,
    integrity: o.integrity as string | undefined,
    permissions: o.permissions as PermissionsOption | undefined,
    allowPermissions: o.allowPermissions as PermissionPolicy['allowPermissions'],
    approvePermissions: o.approvePermissions as PermissionPolicy['approvePermissions'],
    logger: logger as Logger,
    startTimeout: startTimeout ?? legacyTimeout,
    callTimeout: timeoutOf('callTimeout'),
    healthTimeout: timeoutOf('healthTimeout') ?? DEFAULT_HEALTH_TIMEOUT_MS,
    env: Object.freeze({ ...((o.env as Record<string, string> | undefined) ?? {}) }),
    maxHeapMb: o.maxHeapMb as number | undefined,
    execArgv: Object.freeze([...((o.execArgv as string[] | undefined) ?? [])]),
    restart: resolveRestart(o.restart, fail),
    maxPendingCalls: limit('maxPendingCalls', DEFAULT_BACKPRESSURE.maxPendingCalls),
    maxQueuedBytes: limit('maxQueuedBytes', DEFAULT_BACKPRESSURE.maxQueuedBytes),
    server: o.server as string | undefined,
    onCrash: o.onCrash as ((error: PluginError) => void) | undefined,
    signal: o.signal as AbortSignal | undefined,
    config: o.config,
    host: o.host as HostFunctions | undefined,
    hostTimeout: timeoutOf('hostTimeout') ?? DEFAULT_HOST_TIMEOUT_MS,
    disposeTimeout: timeoutOf('disposeTimeout') ?? DEFAULT_DISPOSE_TIMEOUT_MS,
    onRestart: o.onRestart as TalkbackOptions['onRestart'],
    autoMTLS: o.autoMTLS as boolean | undefined,
    versions: goPlugin.versions,
    reattach: goPlugin.reattach,
    group,
    lazy: o.lazy === true,
    idleTimeout: timeoutOf('idleTimeout'),
    given,
  });
}
