import { parseArgs } from 'node:util';
import { CreateError } from './errors.js';
import { type Flags, ISOLATIONS, KINDS, PACKAGE_MANAGERS } from './options.js';

export const USAGE = `Usage: npm create greeter-plugin [dir] -- [options]
       npm create greeter-plugin -- update [dir] [--write | --commit] [--force]
                           (in a generated plugin: bring it to the current template; update --help)

  --name <name>            package name (default: the folder's name)
  --kind <kind>            contract: ${KINDS.join(' | ')} (default: greeter)
  --contract <package>     implement the contract a package exports (<package> or <package>#<export>)
                           instead of a built-in kind; stubs and tests are written from its schemas
  --isolation <mode>       preferred isolation: ${ISOLATIONS.join(' | ')} (default: in-process)
  --pm <manager>           ${PACKAGE_MANAGERS.join(' | ')} (default: the one running this command)
  --yes, -y                ask nothing, take the defaults (also when stdin is not a terminal)
  --no-install             do not install dependencies
  --no-git                 do not run git init and the first commit
  --force                  write into a non-empty folder (only the generated files are written)
  --help, -h               show this help
  --version, -v            show the version
`;

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (allowed.includes(value as T)) return value as T;
  throw new CreateError({
    code: 'ERR_CREATE_ARGS',
    what: `--${flag} ${value} is not a valid choice.`,
    why: `--${flag} takes one of: ${allowed.join(', ')}.`,
    fix: `Pass one of those, e.g. --${flag} ${allowed[0]}.`,
  });
}

/** Parses the command line with node:util's parseArgs (strict: unknown flags are refused). */
export function parseFlags(argv: readonly string[]): Flags {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (cause) {
    throw new CreateError({
      code: 'ERR_CREATE_ARGS',
      what: 'The command line could not be read.',
      why: cause instanceof Error ? cause.message : String(cause),
      fix: 'Run with --help to see the options.',
      cause,
    });
  }
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) {
    throw new CreateError({
      code: 'ERR_CREATE_ARGS',
      what: `Too many arguments: ${positionals.join(' ')}.`,
      why: 'The only positional argument is the folder to create.',
      fix: 'Pass one folder, and options as --flags.',
    });
  }
  if (v.contract !== undefined && v.kind !== undefined) {
    throw new CreateError({
      code: 'ERR_CREATE_ARGS',
      what: `--kind ${v.kind} and --contract ${v.contract} were both given.`,
      why: '--kind picks a built-in contract, --contract a contract package: a plugin implements one contract.',
      fix: 'Pass one of them.',
    });
  }
  return {
    dir: positionals[0],
    name: v.name,
    kind: oneOf('kind', v.kind, KINDS),
    ...(v.contract === undefined ? {} : { contract: v.contract }),
    isolation: oneOf('isolation', v.isolation, ISOLATIONS),
    pm: oneOf('pm', v.pm, PACKAGE_MANAGERS),
    yes: v.yes ?? false,
    install: !(v['no-install'] ?? false),
    git: !(v['no-git'] ?? false),
    force: v.force ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      kind: { type: 'string' },
      contract: { type: 'string' },
      isolation: { type: 'string' },
      pm: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      // Spelled out rather than parseArgs' allowNegative, which needs Node 20.16.
      'no-install': { type: 'boolean' },
      'no-git': { type: 'boolean' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
