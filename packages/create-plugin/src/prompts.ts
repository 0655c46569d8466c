import { basename, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { isCancel, select, text } from '@clack/prompts';
import { loadContractPackage } from './contract-package.js';
import { cancelled } from './errors.js';
import {
  type Answers,
  DEFAULTS,
  defaultDir,
  type Flags,
  ISOLATIONS,
  type Isolation,
  type Kind,
  PACKAGE_MANAGERS,
  type PackageManager,
  type TemplateKind,
} from './options.js';
import { detectPackageManager } from './package-manager.js';
import { checkDirName, checkName, checkTarget, dirProblem, nameProblem, targetProblem } from './validate.js';

export interface PromptIO {
  /** Ask for what the flags left out; false with --yes or when stdin is not a terminal. */
  readonly interactive: boolean;
  readonly cwd: string;
  /** Streams for the prompts (default: the process's); tests drive them with key presses. */
  readonly input?: Readable;
  readonly output?: Writable;
}

/** A prompt's answer, or the generator's cancel error: Ctrl-C stops before anything is written. */
function answered<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) throw cancelled();
  return value as Exclude<T, symbol>;
}

/**
 * Every answer the generator needs: each from its flag if given, else asked (interactive) or the
 * default. Each answer is checked as soon as it is known, so nothing is asked after a bad one.
 */
export async function resolveAnswers(flags: Flags, io: PromptIO): Promise<Answers> {
  const streams = { input: io.input, output: io.output };
  const ask = io.interactive;

  // A contract package is read first: a name that does not resolve stops before anything is asked.
  const contract =
    flags.contract === undefined
      ? undefined
      : await loadContractPackage(flags.contract, io.cwd, flags.install);
  const kind: TemplateKind =
    contract !== undefined
      ? 'contract'
      : (flags.kind ??
        (ask
          ? answered(
              await select<Kind>({
                ...streams,
                message: 'Which contract will the plugin implement?',
                options: [
                  { value: 'greeter', label: 'greeter', hint: 'greet(name): string, lang(): string' },
                  {
                    value: 'transformer',
                    label: 'transformer',
                    hint: 'transform(input): string, name(): string',
                  },
                ],
                initialValue: DEFAULTS.kind,
              }),
            )
          : DEFAULTS.kind));

  // A scoped --name (@me/greeter-plugin) suggests its bare part as the folder.
  const suggested = flags.name?.replace(/^@[^/]*\//, '') || defaultDir(contract?.json.name ?? kind);
  const dirName =
    flags.dir ??
    (ask
      ? answered(
          await text({
            ...streams,
            message: 'Folder to create:',
            placeholder: suggested,
            defaultValue: suggested,
            validate: (v) => {
              const dir = v || suggested;
              return dirProblem(dir) ?? targetProblem(resolve(io.cwd, dir), flags.force);
            },
          }),
        )
      : suggested);
  checkDirName(dirName);
  const dir = resolve(io.cwd, dirName);
  checkTarget(dir, flags.force);

  const name =
    flags.name ??
    (ask
      ? answered(
          await text({
            ...streams,
            message: 'Package name:',
            initialValue: basename(dir),
            validate: (v) => nameProblem(v ?? ''),
          }),
        )
      : basename(dir));
  checkName(name);

  const isolation: Isolation =
    flags.isolation ??
    (ask
      ? answered(
          await select<Isolation>({
            ...streams,
            message: 'Where should the plugin prefer to run? (the host may override it)',
            options: ISOLATIONS.map((value) => ({ value, label: value })),
            initialValue: DEFAULTS.isolation,
          }),
        )
      : DEFAULTS.isolation);

  const detected = detectPackageManager();
  const pm: PackageManager =
    flags.pm ??
    (ask
      ? answered(
          await select<PackageManager>({
            ...streams,
            message: 'Package manager:',
            options: PACKAGE_MANAGERS.map((value) => ({ value, label: value })),
            initialValue: detected,
          }),
        )
      : detected);

  return { dir, name, kind, isolation, pm, ...(contract === undefined ? {} : { contract }) };
}
