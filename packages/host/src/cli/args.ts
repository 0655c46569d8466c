import { parseArgs } from 'node:util';
import { ISOLATIONS, type Isolation } from '../manifest.js';
import { UsageError } from './io.js';

export const USAGE = `Usage: x-plugin <command> [options]

Commands:
  call <plugin> <method> [args...]  Load one plugin (package name or path) and call one method
      --isolation in-process|worker|process   Override the plugin's preferred isolation
      --timeout <ms>                          Fail the call after this many milliseconds
      --json                                  Print {"plugin","version","method","result"}
  list                              List the plugins installed in a project, and whether each fits
  doctor [plugin...]                Explain every reason each plugin would not load
  contract diff <old> <new>         Whether a plugin built against <new> loads in a host built
                                    against <old>; each a package[#export], a path or a JSON file

Options of list and doctor:
      --dir <dir>     Also look in a plugin directory (a folder of plugin packages); repeatable
      --json          Print one JSON document on stdout
Options of every command:
      --cwd <dir>     The project (default: the current directory)
  -h, --help          Show this help
  -v, --version       Show the version of @x/host

Exit codes: 0 ok, 1 a plugin failed or would not load, 2 a usage error.
Arguments of call are converted to the types the contract gives (number, boolean, string).
`;

const OPTIONS = {
  cwd: { type: 'string' },
  dir: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  isolation: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

/** Which options each command accepts; parseArgs alone would let `list --timeout 5` through. */
const ALLOWED: Record<string, readonly string[]> = {
  call: ['cwd', 'json', 'isolation', 'timeout'],
  list: ['cwd', 'dir', 'json'],
  doctor: ['cwd', 'dir', 'json'],
  contract: ['cwd', 'json'],
};

export interface ParsedArgs {
  readonly command: 'call' | 'list' | 'doctor' | 'contract-diff' | 'help' | 'version';
  readonly positionals: readonly string[];
  readonly cwd: string | undefined;
  readonly dirs: readonly string[];
  readonly json: boolean;
  readonly isolation: Isolation | undefined;
  readonly timeout: number | undefined;
}

/** Parses argv with node:util's parseArgs (no dependency), then checks what it cannot. */
export function parseCli(argv: readonly string[]): ParsedArgs {
  const { values, positionals } = parse(argv);
  const base = {
    cwd: values.cwd,
    dirs: values.dir ?? [],
    json: values.json,
    isolation: undefined,
    timeout: undefined,
  };
  if (values.help) return { ...base, command: 'help', positionals: [] };
  if (values.version) return { ...base, command: 'version', positionals: [] };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('Missing the command: call, list, doctor or contract.');
  if (command !== 'call' && command !== 'list' && command !== 'doctor' && command !== 'contract') {
    throw new UsageError(`Unknown command "${command}": use call, list, doctor or contract.`);
  }
  for (const [name, value] of Object.entries(values)) {
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
    if (given && !ALLOWED[command]!.includes(name)) {
      throw new UsageError(`The option --${name} does not apply to "${command}".`);
    }
  }
  if (command === 'list' && rest.length > 0)
    throw new UsageError(`list takes no arguments, got "${rest[0]}".`);
  if (command === 'call' && rest.length < 2)
    throw new UsageError('call needs a plugin and a method: x-plugin call <plugin> <method> [args...].');
  if (command === 'contract') {
    const [sub, ...diffArgs] = rest;
    if (sub !== 'diff')
      throw new UsageError(`Unknown contract command "${sub ?? ''}": use contract diff <old> <new>.`);
    if (diffArgs.length !== 2)
      throw new UsageError('contract diff needs two contracts: x-plugin contract diff <old> <new>.');
    return { ...base, command: 'contract-diff', positionals: diffArgs };
  }
  return {
    ...base,
    command,
    positionals: rest,
    isolation: isolation(values.isolation),
    timeout: timeout(values.timeout),
  };
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function isolation(value: string | undefined): Isolation | undefined {
  if (value === undefined || ISOLATIONS.includes(value as Isolation)) return value as Isolation | undefined;
  throw new UsageError(`--isolation must be one of ${ISOLATIONS.join(', ')}, not "${value}".`);
}

function timeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new UsageError(`--timeout must be a whole number of milliseconds, not "${value}".`);
  return ms;
}
