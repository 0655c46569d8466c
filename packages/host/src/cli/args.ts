import { parseArgs } from 'node:util';
import { ISOLATIONS, type Isolation } from '../manifest.js';
import { type Command, SYNOPSIS, UsageError } from './usage.js';

/** Node's setTimeout holds at most 2^31-1 ms; a larger timeout would fire at once (TimeoutOverflowWarning). */
const MAX_TIMEOUT = 2 ** 31 - 1;
const VALUE_OPTIONS = ['--cwd', '--dir', '--isolation', '--timeout'];

const OPTIONS = {
  cwd: { type: 'string' },
  dir: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  isolation: { type: 'string' },
  timeout: { type: 'string' },
  stats: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

/** Which options each command accepts; parseArgs alone would let `list --timeout 5` through. */
const ALLOWED: Record<string, readonly string[]> = {
  call: ['cwd', 'json', 'isolation', 'timeout', 'stats'],
  dev: ['cwd', 'isolation'],
  list: ['cwd', 'dir', 'json'],
  doctor: ['cwd', 'dir', 'json'],
  contract: ['cwd', 'json'],
};

export interface ParsedArgs {
  readonly command: 'call' | 'dev' | 'list' | 'doctor' | 'contract-diff' | 'help' | 'version';
  readonly positionals: readonly string[];
  readonly cwd: string | undefined;
  readonly dirs: readonly string[];
  readonly json: boolean;
  readonly isolation: Isolation | undefined;
  readonly timeout: number | undefined;
  /** call --stats: print the handle's stats after the call. */
  readonly stats: boolean;
}

/** Parses argv with node:util's parseArgs (no dependency), then checks what it cannot. */
export function parseCli(argv: readonly string[]): ParsedArgs {
  const { values, positionals } = parse(argv, argv.find(isCommand));
  const base = {
    cwd: values.cwd,
    dirs: values.dir ?? [],
    json: values.json,
    isolation: undefined,
    timeout: undefined,
    stats: values.stats,
  };
  if (values.help) return { ...base, command: 'help', positionals: [] };
  if (values.version) return { ...base, command: 'version', positionals: [] };
  const [name, ...rest] = positionals;
  if (name === undefined) throw new UsageError('Missing the command: call, dev, list, doctor or contract.');
  if (!isCommand(name))
    throw new UsageError(`Unknown command "${name}": use call, dev, list, doctor or contract.`);
  for (const [option, value] of Object.entries(values)) {
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
    if (given && !ALLOWED[name]!.includes(option)) {
      throw new UsageError(`The option --${option} does not apply to "${name}".`, name);
    }
  }
  if (name === 'list' && rest.length > 0)
    throw new UsageError(`list takes no arguments, got "${rest[0]}".`, name);
  if (name === 'call' && rest.length < 2)
    throw new UsageError(
      'call needs a plugin and a method: x-plugin call <plugin> <method> [args...].',
      name,
    );
  if (name === 'call' && rest[0]!.trim() === '')
    throw new UsageError('call needs a plugin: the plugin name or path is empty.', name);
  if (name === 'call' && rest[1]!.trim() === '')
    throw new UsageError('call needs a method: the method name is empty.', name);
  if (name === 'dev' && (rest.length !== 1 || rest[0]!.trim() === ''))
    throw new UsageError('dev needs one plugin: x-plugin dev <plugin>.', name);
  if (name === 'doctor' && rest.some((p) => p.trim() === ''))
    throw new UsageError('doctor was given an empty plugin name.', name);
  if (values.cwd !== undefined && values.cwd.trim() === '')
    throw new UsageError('--cwd needs a directory, not an empty string.', name);
  if (values.dir?.some((d) => d.trim() === ''))
    throw new UsageError('--dir needs a directory, not an empty string.', name);
  if (name === 'contract') {
    const [sub, ...diffArgs] = rest;
    if (sub !== 'diff')
      throw new UsageError(`Unknown contract command "${sub ?? ''}": use contract diff <old> <new>.`, name);
    if (diffArgs.length !== 2)
      throw new UsageError('contract diff needs two contracts: x-plugin contract diff <old> <new>.', name);
    return { ...base, command: 'contract-diff', positionals: diffArgs };
  }
  return {
    ...base,
    command: name,
    positionals: rest,
    isolation: isolation(values.isolation, name),
    timeout: timeout(values.timeout),
  };
}

const COMMANDS = Object.keys(SYNOPSIS) as Command[];
const isCommand = (name: string): name is Command => (COMMANDS as string[]).includes(name);

function parse(argv: readonly string[], command: Command | undefined) {
  try {
    return parseArgs({ args: joinDashValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' own messages are clear ("Unknown option '--colour'"); only the code is ours.
    throw new UsageError((error as Error).message, command);
  }
}

/**
 * `--timeout -1` reads to parseArgs as an option with a missing value followed by an unknown
 * option `-1` ("argument is ambiguous"). Joined as `--timeout=-1`, the value reaches the check
 * below, whose message says what a timeout must be. Only after options that take a value, and
 * only before `--`, after which everything is an argument of the call.
 */
function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (VALUE_OPTIONS.includes(arg) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function isolation(value: string | undefined, command: Command): Isolation | undefined {
  if (command === 'dev' && value === 'in-process')
    throw new UsageError(
      'dev cannot run a plugin in-process: Node cannot import changed code again. Use --isolation worker (the default) or process.',
      command,
    );
  if (value === undefined || ISOLATIONS.includes(value as Isolation)) return value as Isolation | undefined;
  throw new UsageError(`--isolation must be one of ${ISOLATIONS.join(', ')}, not "${value}".`, command);
}

/** Digits only: Number() would also take "1e3", "0x10", " 5 " and "Infinity". */
function timeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT)) {
    throw new UsageError(
      `--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT}, not "${value}".`,
      'call',
    );
  }
  return ms;
}
