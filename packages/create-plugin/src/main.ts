import type { Readable, Writable } from 'node:stream';
import * as p from '@clack/prompts';
import { parseFlags, USAGE } from './args.js';
import { CreateError } from './errors.js';
import { initGit } from './git.js';
import { install, SKIP_INSTALL_ENV } from './install.js';
import { commandsFor } from './package-manager.js';
import { runGenerator } from './plop.js';
import { nextSteps, summary } from './summary.js';
import { runUpdate } from './update/command.js';

declare const __PKG_VERSION__: string;

export interface MainIO {
  readonly cwd?: string;
  readonly input?: Readable & { isTTY?: boolean };
  readonly output?: Writable;
}

function report(error: CreateError): number {
  process.stderr.write(`\n✖ ${error.what}\n  ${error.why}\n  ${error.fix}\n  (${error.code})\n`);
  return error.code === 'ERR_CREATE_CANCELLED' ? 130 : 1;
}

/** `npm create greeter-plugin [dir] -- [flags]`; resolves to the exit code. */
export async function main(argv: readonly string[], io: MainIO = {}): Promise<number> {
  try {
    // The one subcommand: `npm create greeter-plugin -- update` and `npm create greeter-plugin
    // update` both arrive here as argv[0]. So "update" cannot be the folder to create (README).
    if (argv[0] === 'update') {
      return runUpdate(argv.slice(1), {
        cwd: io.cwd ?? process.cwd(),
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
    }
    const flags = parseFlags(argv);
    if (flags.help || flags.version) {
      process.stdout.write(flags.help ? USAGE : `${__PKG_VERSION__}\n`);
      return 0;
    }
    const input = io.input ?? process.stdin;
    const output = io.output ?? process.stdout;
    const interactive = !flags.yes && input.isTTY === true;

    p.intro(`create-greeter-plugin ${__PKG_VERSION__}`, { output });
    const { answers, files } = await runGenerator(flags, {
      interactive,
      cwd: io.cwd ?? process.cwd(),
      input,
      output,
    });
    p.log.success(summary(answers, files.length, io.cwd ?? process.cwd()), { output });

    let installed = false;
    if (!flags.install || process.env[SKIP_INSTALL_ENV] === '1') {
      p.log.info('Skipped installing dependencies (--no-install).', { output });
    } else {
      const spin = p.spinner({ output });
      const { install: command } = commandsFor(answers.pm);
      spin.start(`Installing dependencies (${command})`);
      const result = await install(answers.dir, answers.pm);
      if (!result.ok) {
        spin.error(`${command} failed`);
        process.stderr.write(`${result.output.trim().split('\n').slice(-15).join('\n')}\n`);
        throw new CreateError({
          code: 'ERR_CREATE_INSTALL',
          what: `Installing dependencies with ${answers.pm} failed.`,
          why: `The plugin's files were generated and left in place in ${answers.dir}; only the install failed (its output is above).`,
          fix: `Finish by hand: ${nextSteps(answers, io.cwd ?? process.cwd(), false).join(' && ')}`,
        });
      }
      spin.stop('Dependencies installed');
      installed = true;
    }

    if (flags.git) {
      const git = initGit(answers.dir, files);
      if (git.status === 'committed')
        p.log.success('Initialized a git repository with a first commit.', { output });
      else
        p.log.warn(`git: ${git.status === 'skipped' ? 'skipped, ' : 'initialized, but '}${git.reason}.`, {
          output,
        });
    }

    p.note(nextSteps(answers, io.cwd ?? process.cwd(), installed).join('\n'), 'Next steps', { output });
    p.outro('Happy hacking.', { output });
    return 0;
  } catch (error) {
    if (CreateError.isInstance(error)) return report(error);
    throw error;
  }
}
