// What the CLI says about its own command line: the help text, each command's synopsis, and the
// error for a command line it refuses (exit 2), which prints the synopsis of the command at hand.

/** The one-line synopsis of each command, printed under a usage error of that command. */
export const SYNOPSIS = {
  call: 'x-plugin call <plugin> <method> [args...] [--isolation in-process|worker|process] [--timeout ms] [--json] [--stats] [--cwd dir]',
  list: 'x-plugin list [--cwd dir] [--dir dir]... [--json]',
  doctor: 'x-plugin doctor [plugin...] [--cwd dir] [--dir dir]... [--json]',
  contract: 'x-plugin contract diff <old> <new> [--json] [--cwd dir]',
  dev: 'x-plugin dev <plugin> [--isolation worker|process] [--cwd dir]',
} as const;

export type Command = keyof typeof SYNOPSIS;

export const USAGE = `Usage: x-plugin <command> [options]

Commands:
  call <plugin> <method> [args...]  Load one plugin (package name or path) and call one method
      --isolation in-process|worker|process   Override the plugin's preferred isolation
      --timeout <ms>                          Fail the call after this many milliseconds
      --json                                  Print {"plugin","version","method","result"}
      --stats                                 Then print the plugin's stats (on stderr; with --json, as "stats")
  dev <plugin>                      Run a plugin in watch mode: reload it on every change (in a worker
                                    unless --isolation process), rebuilding with its watch build if it has one
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
Arguments of call are converted to the types the contract gives: a string param takes the word as
it is, a number or boolean param is parsed as one, any other param is parsed as JSON ('{"w":2,"h":3}');
put them after -- when one starts with a dash: x-plugin call calc add -- -1 2.
`;

/** A mistake in the command line itself (exit 2), as opposed to a plugin's failure (exit 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ERR_USAGE';

  /** `command`: the command the line was for, when known, so that its synopsis is shown. */
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
  }

  /** The lines to print: the message, then how the command is used. */
  usage(): string {
    const synopsis = this.command === undefined ? Object.values(SYNOPSIS) : [SYNOPSIS[this.command]];
    return `Usage: ${synopsis.join('\n       ')}\nRun x-plugin --help for more.`;
  }
}
