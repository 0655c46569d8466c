import { parseArgs } from 'node:util';
import { CreateError } from '../errors.js';

export const UPDATE_USAGE = `Usage: npm create greeter-plugin -- update [dir] [options]

Brings a plugin made by create-greeter-plugin to the current template: dependency ranges, configs
(tsup, tsconfig, vitest, .gitignore) and package.json scripts, each change a named migration. Your
source files (src/, test/, README.md) are never touched.

  [dir]        the plugin's folder (default: the current folder)
  --write      apply the changes (default: print them as a unified diff, change nothing)
  --commit     apply them and commit them with git (needs a clean work tree)
  --force      overwrite a template file or field you edited, instead of reporting a conflict
  --help, -h   show this help
`;

export interface UpdateFlags {
  readonly dir: string | undefined;
  readonly write: boolean;
  readonly commit: boolean;
  readonly force: boolean;
  readonly help: boolean;
}

export function parseUpdateFlags(argv: readonly string[]): UpdateFlags {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (cause) {
    throw new CreateError({
      code: 'ERR_CREATE_ARGS',
      what: 'The update command line could not be read.',
      why: cause instanceof Error ? cause.message : String(cause),
      fix: 'Run update --help to see its options.',
      cause,
    });
  }
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) {
    throw new CreateError({
      code: 'ERR_CREATE_ARGS',
      what: `Too many arguments to update: ${positionals.join(' ')}.`,
      why: 'The only positional argument is the plugin’s folder.',
      fix: 'Pass one folder, and options as --flags.',
    });
  }
  return {
    dir: positionals[0],
    write: (v.write ?? false) || (v.commit ?? false),
    commit: v.commit ?? false,
    force: v.force ?? false,
    help: v.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      write: { type: 'boolean' },
      commit: { type: 'boolean' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
