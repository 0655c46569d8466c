import type { SendCall } from './call-pipeline.js';
import type { StreamSource } from './plugin-stream.js';

/** How a plugin's thread or process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
  /** The uncaught error a worker died of (including ERR_WORKER_OUT_OF_MEMORY), or a spawn error. */
  readonly error?: Error;
}

/**
 * One running isolated plugin, as a runtime (worker, process, command, go-plugin) gives it to
 * the supervisor: how to call it, how to ask whether it answers, how it ended, how to end it.
 * Everything else (timeouts, aborts, pending calls, restarts, state) is shared above it.
 */
export interface Connection {
  /** The process id (process, command, go-plugin) or worker thread id, while it runs. */
  readonly pid?: number;
  readonly threadId?: number;
  /** Settles once, when the plugin has ended, however that happened. */
  readonly exited: Promise<ExitInfo>;
  /** Sends one call (its outcome a PluginError as the caller should see it, or the raw answer). */
  readonly send: SendCall;
  /** Bytes written and not yet read by the plugin (0 where that cannot be known). */
  queuedBytes(): number;
  /**
   * Asks the plugin whether it answers within `timeoutMs`: its facts, or a rejection saying why
   * not. `hold: false` (the liveness ping) lets the host's event loop end meanwhile.
   */
  ping(timeoutMs: number, hold?: boolean): Promise<Readonly<Record<string, unknown>>>;
  /** Holds the host's event loop while calls are in flight (`ref`), or lets it end (`unref`). */
  ref(): void;
  unref(): void;
  /** The last lines the plugin wrote to stderr, for error messages. */
  recentOutput(): readonly string[];
  /** Opens a stream method (x/stream, with credit); absent where the runtime has no streams (go-plugin). */
  openStream?(method: string, args: readonly unknown[]): StreamSource;
  /**
   * Runs the plugin's dispose hooks (x/dispose), waiting at most the disposeTimeout load option;
   * never throws. Absent where the plugin has none to run (go-plugin, a v1 plugin).
   */
  dispose?(): Promise<void>;
  /** Ends it (gracefully where the protocol can) and everything it started; resolves once it is gone. */
  close(): Promise<void>;
}

/** What every runtime's start() does: start one plugin and complete its handshake, or throw having stopped it. */
export type StartConnection = () => Promise<Connection>;
