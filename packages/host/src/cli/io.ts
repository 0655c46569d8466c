import { PluginError } from '@x/contract';
import { escapeControl, escapeJsonControl } from '../escape-control.js';
import { UsageError } from './usage.js';

/** Where the CLI writes: the process's streams, or buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => {
    guardStreams();
    process.stdout.write(text);
  },
  err: (text) => {
    guardStreams();
    process.stderr.write(text);
  },
};

let guarded = false;
/**
 * A stream that cannot be written is reported, not thrown as an unhandled 'error' event with a
 * stack: a closed reader (`x-plugin list | head -1`, EPIPE) ends the CLI quietly, as it does
 * `cat`; any other failure (a full disk, ENOSPC) is one line on stderr and exit 1. Exiting here
 * still ends isolated plugins: the host's exit hook stops their processes.
 */
function guardStreams(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`ERR_OUTPUT: cannot write to stdout (${error.code ?? error.message}).\n`);
    process.exit(EXIT.plugin);
  });
  process.stderr.on('error', () => process.exit(process.exitCode ?? EXIT.plugin));
}

/**
 * The io every command writes through: whatever a plugin managed to put in the text (a name, a
 * message, an answer), no control character but newline and tab reaches the terminal
 * (escape-control.ts). The commands escape plugin text on one line themselves, newlines too;
 * this is the net under them.
 */
export function terminalSafe(io: CliIo): CliIo {
  return {
    out: (text) => io.out(escapeControl(text, { keep: '\n\t' })),
    err: (text) => io.err(escapeControl(text, { keep: '\n\t' })),
  };
}

/** Plugin-controlled text for one line of output: a name, a message. */
export const oneLine = (text: string): string => escapeControl(text);

/** Exit codes, documented in the README: scripts branch on them. */
export const EXIT = { ok: 0, plugin: 1, usage: 2 } as const;

/** Prints an error as `CODE: message` on stderr, and returns its exit code. */
export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof UsageError) {
    io.err(`ERR_USAGE: ${oneLine(error.message)}\n${error.usage()}\n`);
    return EXIT.usage;
  }
  if (PluginError.isInstance(error)) {
    io.err(`${error.code}: ${oneLine(error.message)}\n`);
    return EXIT.plugin;
  }
  // A bug of ours, not the user's: one line that says so, and the stack only when asked for, so
  // that a user never faces a stack trace for what may well be a plugin's doing.
  const message = error instanceof Error ? error.message : String(error);
  const stack = process.env.X_PLUGIN_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
  io.err(
    `ERR_INTERNAL: ${oneLine(message)}. This is a bug in x-plugin; run again with X_PLUGIN_DEBUG=1 for the stack, and report it.${stack}\n`,
  );
  return EXIT.plugin;
}

/** Stable JSON for `--json`: one document, one line, newline-terminated, control characters as \uXXXX. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${escapeJsonControl(JSON.stringify(value))}\n`);
}
