import { compareContracts } from '@x/contract';
import type { ParsedArgs } from './args.js';
import { type CliIo, EXIT, printJson } from './io.js';
import { loadContractArg } from './load-contract-arg.js';

const label = (c: { name: string; version?: string }) =>
  `${c.name}${c.version === undefined ? '' : `@${c.version}`}`;

/**
 * `x-plugin contract diff <old> <new>`: may a plugin built against <new> be loaded by a host built
 * against <old>? The same verdict as load's structural check; exits 1 on a breaking change.
 */
export async function contractDiffCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const [oldArg, newArg] = args.positionals as [string, string];
  const cwd = args.cwd ?? process.cwd();
  const before = await loadContractArg(oldArg, cwd);
  const after = await loadContractArg(newArg, cwd);
  const { compatible, changes } = compareContracts(before, after);
  if (args.json) {
    printJson(io, { old: label(before), new: label(after), compatible, changes });
  } else {
    const breaking = changes.filter((c) => c.breaking).length;
    io.out(
      `${label(before)} → ${label(after)}: ${compatible ? 'compatible' : `BREAKING (${breaking} breaking change${breaking === 1 ? '' : 's'})`}\n`,
    );
    for (const c of changes) io.out(`  ${c.breaking ? 'breaking ' : 'ok       '} ${c.kind}  ${c.message}\n`);
  }
  return compatible ? EXIT.ok : EXIT.plugin;
}
