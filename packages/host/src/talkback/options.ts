import type { AnyContract, ConfigOf, HostImplementation } from '@x/contract';
import type { PluginHandle } from '../handle/plugin-handle.js';
import type { HostFunctions } from './host-functions.js';

/** The load options of plugins that talk back (documented in packages/host/README.md). */
export interface TalkbackOptions<C extends AnyContract = AnyContract> {
  /**
   * Handed to the plugin's factory as `ctx.config` (and again after every restart), checked
   * against the contract's `config` schema at load. Typed from the contract (@x/contract ConfigOf).
   */
  readonly config?: AnyContract extends C ? unknown : ConfigOf<C>;
  /**
   * The contract's host functions, as this application implements them: `{ log: (line) => ... }`,
   * typed from the contract (@x/contract HostImplementation). Each also gets a trailing `{ signal }`.
   */
  readonly host?: AnyContract extends C ? HostFunctions : HostImplementation<C>;
  /** How long a host function may take before the plugin's call of it fails (default 30000 ms). */
  readonly hostTimeout?: number;
  /** How long close() waits for the plugin's dispose hooks before ending it anyway (default 2000 ms). */
  readonly disposeTimeout?: number;
  /**
   * Called after an isolated plugin was restarted after a crash, once `config` and `host` are
   * re-applied: rebuild whatever else the application had set up in the old instance.
   */
  readonly onRestart?: (handle: PluginHandle) => void | Promise<void>;
}
