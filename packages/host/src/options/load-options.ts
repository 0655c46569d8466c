import type { AnyContract } from '@x/contract';
import type { IntegrityPin } from '../load/verify-integrity.js';
import type { Isolation } from '../manifest.js';
import type { PermissionsOption } from '../permissions/grants.js';
import type { PermissionPolicy } from '../permissions/policy.js';
import type { TalkbackOptions } from '../talkback/options.js';
import type { GoPluginReattach, GoPluginVersion } from './go-plugin-options.js';
import type { IsolatedOptions } from './isolated-options.js';
import type { ObserveOptions } from './observe-options.js';

/**
 * Options of `host.load` and `loadPlugin`, checked once by resolveLoadOptions (an invalid value
 * is ERR_PLUGIN_OPTIONS, an option the plugin's runtime cannot honour ERR_PLUGIN_LOAD naming it;
 * the table of what each runtime honours is in packages/host/README.md).
 */
export interface LoadOptions<C extends AnyContract = AnyContract>
  extends IsolatedOptions,
    ObserveOptions,
    PermissionPolicy,
    TalkbackOptions<C>,
    GoPluginLoadOptions {
  /** The contract the caller expects; a plugin of another contract is refused, not mis-cast. */
  readonly contract?: C;
  /** Overrides the plugin's preferred isolation. */
  readonly isolation?: Isolation;
  /** Where to look for package names (default: process.cwd()). */
  readonly cwd?: string;
  /**
   * Contracts the host knows besides the built-in ones: an array, as createHost({ contracts })
   * takes. (A record by name is still accepted, as in 1.0, and means the same.)
   */
  readonly contracts?: readonly AnyContract[] | Readonly<Record<string, AnyContract>>;
  /**
   * Pins the plugin's contents, checked before any of its code runs, else ERR_PLUGIN_INTEGRITY:
   * `sha512-…` from computeIntegrity(), or `'lockfile'` (docs/security.md).
   */
  readonly integrity?: IntegrityPin;
  /**
   * Runs a process plugin under Node's permission model (docs/security.md). Default false: the
   * host's full rights. `'none'`: it may read only its own code; `'manifest'`: plus what its
   * xPlugin.permissions asks; an object: exactly those grants.
   */
  readonly permissions?: PermissionsOption;
  /** Ends the load when it fires: the load rejects with ERR_PLUGIN_ABORTED and nothing is left running. */
  readonly signal?: AbortSignal;
}

/** The options of go-plugin plugins only (docs/polyglot.md); refused for any other runtime. */
export interface GoPluginLoadOptions {
  /**
   * The app protocol versions offered at once (go-plugin's VersionedPlugins), each with the
   * contract, .proto or service the plugin serves at that version; the plugin chooses one
   * (`handle.protocolVersion`). Replaces the manifest's handshake.protocolVersion.
   * @example { versions: { 1: { contract: greeter }, 2: { contract: kv, proto: 'proto/kv.proto', service: 'proto.KV' } } }
   */
  readonly versions?: Readonly<Record<number, GoPluginVersion>>;
  /** Connect to a plugin already running (go-plugin's ReattachConfig); close() leaves it running. */
  readonly reattach?: GoPluginReattach;
}
