import type { PluginError } from '@x/contract';
import type { RestartPolicy } from '../core/restart-policy.js';
import type { Logger } from '../logger.js';

/**
 * The load options that shape how a plugin runs, documented once for LoadOptions. Which runtime
 * honours which is in packages/host/README.md; one asked of a runtime that cannot is refused.
 */
export interface IsolatedOptions {
  /** Receives the plugin's stdout/stderr lines and crash reports, tagged with its name (default: stderr). */
  readonly logger?: Logger;
  /**
   * Start timeout: ms from start to a loaded plugin (its import in-process, a completed handshake
   * when isolated), else ERR_PLUGIN_TIMEOUT (default 10000; go-plugin binaries: 60000).
   */
  readonly startTimeout?: number;
  /** @deprecated The old name of `startTimeout` (both given and different: ERR_PLUGIN_OPTIONS). */
  readonly timeout?: number;
  /** Default per-call timeout in ms, unless a call passes its own (default: none), in every isolation. */
  readonly callTimeout?: number;
  /** How long a health check waits; a plugin silent that long after a call timed out is killed (default 2000). */
  readonly healthTimeout?: number;
  /**
   * The whole environment of the plugin: nothing of the host's `process.env` is passed unless it
   * is listed here (go-plugin's SkipHostEnv). Default: empty, plus the handshake variables.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Heap limit in MB: the worker's resourceLimits, or the process's --max-old-space-size. */
  readonly maxHeapMb?: number;
  /** Extra Node flags for the plugin's worker or process. */
  readonly execArgv?: readonly string[];
  /** Restarts after crashes (default: at most 3 crashes in 5 minutes, then stopped); false: never. */
  readonly restart?: Partial<RestartPolicy> | false;
  /**
   * Backpressure: a new call fails with ERR_PLUGIN_BUSY while this many calls wait for an answer
   * (default 10000; Infinity: no cap). Bounds the host's memory when a plugin stops answering.
   */
  readonly maxPendingCalls?: number;
  /**
   * Backpressure for process plugins: a new call fails with ERR_PLUGIN_BUSY while more than this
   * many bytes written to the plugin are unread (default 64 MiB). Bounds a plugin that stops reading.
   */
  readonly maxQueuedBytes?: number;
  /**
   * A script that serves the plugin itself with `serve()` from @x/sdk (go-plugin's plugin
   * binary), run instead of the host's bootstrap: as the worker's script, or as `node <server>`.
   * A plugin whose manifest has `xPlugin.command` is started by that instead, and refuses this
   * option, `execArgv`, `maxHeapMb` and `permissions` (they shape Node processes only).
   */
  readonly server?: string;
  /**
   * go-plugin plugins only: mutual TLS on the gRPC connection and on every brokered one, as
   * go-plugin's AutoMTLS (the host offers a one-time client certificate in PLUGIN_CLIENT_CERT and
   * pins the certificate the plugin answers). Default: on wherever the plugin answers one; true
   * requires it (ERR_PLUGIN_HANDSHAKE if the plugin does not); false: plain gRPC.
   */
  readonly autoMTLS?: boolean;
  /** Called with the ERR_PLUGIN_CRASHED error each time the plugin crashes. */
  readonly onCrash?: (error: PluginError) => void;
  /**
   * Isolation group (VS Code's extension-host affinity): plugins loaded by one host with the same
   * name share one worker or one process, each with its own handle, stats and crash count. A crash
   * of the shared isolate crashes (and restarts) every member; the isolate ends when its last member
   * closes. Members must agree on isolation, env, execArgv and maxHeapMb (else ERR_PLUGIN_OPTIONS);
   * refused with permissions, server, in-process, command and go-plugin plugins (docs/reliability.md).
   */
  readonly group?: string;
  /**
   * Start on the first call instead of in load(): load() still locates, reads, checks compatibility,
   * integrity, options and permissions. Concurrent first calls share one start; a start that fails
   * rejects the calls waiting for it with its own error, and the next call tries again.
   */
  readonly lazy?: boolean;
  /**
   * Stops the plugin (its dispose hooks run) after this many ms with no call in flight; the next
   * call starts it again, transparently. Not a crash, not a restart in stats (default: never).
   */
  readonly idleTimeout?: number;
}
