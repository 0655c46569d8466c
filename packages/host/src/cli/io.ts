import { PluginError } from '@x/contract';

/** Where the CLI writes: the process's streams, or buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Exit codes, documented in the README: scripts branch on them. */
export const EXIT = { ok: 0, plugin: 1, usage: 2 } as const;

/** A mistake in the command line itself (exit 2), as opposed to a plugin's failure (exit 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Prints an error as `CODE: message` on stderr, and returns its exit code. */
export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof UsageError) {
    io.err(`ERR_USAGE: ${error.message}\nRun x-plugin --help for usage.\n`);
    return EXIT.usage;
  }
  if (PluginError.isInstance(error)) {
    io.err(`${error.code}: ${error.message}\n`);
    return EXIT.plugin;
  }
  io.err(`ERR_INTERNAL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.plugin;
}

/** Stable JSON for `--json`: one document, one line, newline-terminated. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value)}\n`);
}
