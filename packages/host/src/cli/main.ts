import { PluginError } from '@x/contract';
import { type ParsedArgs, parseCli } from './args.js';
import { callCommand } from './call.js';
import { contractDiffCommand } from './contract-diff.js';
import { devCommand } from './dev.js';
import { doctorCommand } from './doctor.js';
import { type CliIo, EXIT, printJson, processIo, reportError, terminalSafe } from './io.js';
import { listCommand } from './list.js';
import { USAGE, UsageError } from './usage.js';

declare const __PKG_VERSION__: string;

/** Runs the `x-plugin` CLI on `argv` (without node and the script) and returns its exit code. */
export async function runCli(argv: readonly string[], rawIo: CliIo = processIo): Promise<number> {
  const io = terminalSafe(rawIo);
  let args: ParsedArgs | undefined;
  try {
    args = parseCli(argv);
    switch (args.command) {
      case 'help':
        io.out(USAGE);
        return EXIT.ok;
      case 'version':
        io.out(`${__PKG_VERSION__}\n`);
        return EXIT.ok;
      case 'call':
        return await callCommand(args, io);
      case 'dev':
        return await devCommand(args, io);
      case 'list':
        return listCommand(args, io);
      case 'doctor':
        return await doctorCommand(args, io);
      case 'contract-diff':
        return await contractDiffCommand(args, io);
    }
  } catch (error) {
    // With --json a failure is also a JSON document on stdout, so a script reads one stream; a
    // refused command line too (args is then unknown, so --json is looked for before any `--`).
    const end = argv.indexOf('--');
    const json = args?.json ?? (end === -1 ? argv : argv.slice(0, end)).includes('--json');
    if (json && PluginError.isInstance(error)) printJson(io, { error: error.toJSON() });
    if (json && error instanceof UsageError)
      printJson(io, { error: { code: error.code, message: error.message } });
    return reportError(io, error);
  }
}
