import type { Readable } from 'node:stream';
import { type EndpointOptions, LineDecoder, type RpcEndpoint, WIRE_METHODS } from '@x/contract/wire';
import type { ExitInfo } from '../../core/connection.js';
import type { Logger } from '../../logger.js';

export type { ExitInfo };

/** One running plugin thread or process and the JSON-RPC endpoint that talks to it. */
export interface Channel {
  readonly endpoint: RpcEndpoint;
  readonly pid?: number;
  readonly threadId?: number;
  /** Settles once, when the thread or process has ended, however that happened. */
  readonly exited: Promise<ExitInfo>;
  readonly hasExited: boolean;
  /** Ends it and everything it started; resolves once it is gone. */
  kill(): Promise<void>;
  /** Lets the host's event loop end while the plugin is idle (`unref`), or holds it (`ref`). */
  ref(): void;
  unref(): void;
  /** The last lines the plugin wrote to stderr, for error messages. */
  recentOutput(): readonly string[];
  /**
   * Bytes written to the plugin that it has not read yet (a process's pipe buffer). A worker's
   * port cannot tell, so it answers 0 and only the pending-call cap bounds it.
   */
  queuedBytes(): number;
  /**
   * The framing the plugin speaks (1: JSON text, 2: clones or binary frames of JSON-RPC objects,
   * 3: the same framing with version 3's compact envelope), once it has sent anything.
   */
  wireVersion(): 1 | 2 | 3 | undefined;
}

/** What starting a channel needs to know. */
export interface ChannelOptions {
  readonly plugin: string;
  /** The script to run: the host's bootstrap, or the plugin's own server. */
  readonly script: string;
  readonly entry: string;
  readonly exportName: string;
  /** Process only: the program (resolved) and arguments to run instead of `node <script>`. */
  readonly command?: readonly string[];
  /** Process only: its working directory (default: the host's). */
  readonly cwd?: string;
  /** The handshake offer: cookie and versions, by env var name. */
  readonly offer: Readonly<Record<string, string>>;
  /** The only environment the plugin sees, besides the offer. */
  readonly env: Readonly<Record<string, string>>;
  readonly maxHeapMb?: number;
  readonly execArgv?: readonly string[];
  readonly logger: Logger;
}

const KEEP_LINES = 20;
/**
 * Longest stdout/stderr line forwarded, in characters: a longer one is dropped and reported. A
 * plugin that prints without newlines would otherwise grow the host's memory without bound
 * (measured: 400 MB printed in one line grew the host's RSS by 300 MB with readline).
 */
export const MAX_OUTPUT_LINE = 1024 * 1024;

/**
 * Forwards a plugin's stdout or stderr to the host's logger, one line at a time, tagged with the
 * plugin's name; keeps the last lines of stderr for crash reports. Blank lines are skipped.
 */
export function forwardOutput(
  stream: Readable,
  name: 'stdout' | 'stderr',
  plugin: string,
  logger: Logger,
  recent?: string[],
): void {
  const level = name === 'stdout' ? 'info' : 'warn';
  const emit = (line: string) => {
    if (recent !== undefined) {
      recent.push(line);
      if (recent.length > KEEP_LINES) recent.shift();
    }
    logger.log(level, line, { plugin, stream: name });
  };
  readLines(stream, emit);
}

/**
 * Calls `emit` with each line of a plugin's output stream (blank lines skipped). The protocol's
 * line decoder rather than readline, for its length cap: a plugin that prints without newlines
 * cannot grow the host's memory; a longer line is dropped and reported in its place.
 */
export function readLines(stream: Readable, emit: (line: string) => void): void {
  const lines = new LineDecoder(
    emit,
    () => emit(`(dropped a line longer than ${MAX_OUTPUT_LINE} characters)`),
    MAX_OUTPUT_LINE,
  );
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => lines.push(chunk));
  stream.on('end', () => lines.end());
}

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

/**
 * What every host endpoint shares: protocol problems (anything the plugin sent that was ignored)
 * are logged as warnings, and `x/log` notifications are forwarded to the logger.
 */
export function endpointOptions(options: ChannelOptions): Omit<EndpointOptions, 'write'> {
  return {
    onProblem: (problem) =>
      options.logger.log('warn', `Protocol: ${problem}`, { plugin: options.plugin, stream: 'rpc' }),
  };
}

/** Forwards the plugin's structured logs (`x/log`); a malformed one is dropped. */
export function forwardLogs(endpoint: RpcEndpoint, options: Pick<ChannelOptions, 'plugin' | 'logger'>): void {
  endpoint.onNotification(WIRE_METHODS.log, (params) => {
    const { level, message } = (params ?? {}) as { level?: unknown; message?: unknown };
    if (typeof message !== 'string') return;
    const known = typeof level === 'string' && LEVELS.has(level);
    options.logger.log(known ? (level as 'info') : 'info', message, {
      plugin: options.plugin,
      stream: 'log',
    });
  });
}
