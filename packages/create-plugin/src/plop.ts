import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodePlop, { type ActionType } from 'node-plop';
import { contractTemplateData } from './contract-code.js';
import { CreateError } from './errors.js';
import type { Answers, Flags } from './options.js';
import { commandsFor } from './package-manager.js';
import { type PromptIO, resolveAnswers } from './prompts.js';
import { templateFiles } from './templates.js';
import { TEMPLATE_VERSION } from './update/migrations/index.js';
import { writeFiles } from './write-files.js';

declare const __PKG_VERSION__: string;

export interface Generated {
  readonly answers: Answers;
  /** The files written, relative to answers.dir. */
  readonly files: readonly string[];
}

/** What the templates see: the answers, the @x/* version to depend on, the manager's commands. */
function templateData(answers: Answers) {
  const { contract } = answers;
  const common = {
    ...answers,
    // The generator is released together with @x/contract, @x/sdk and @x/host (changesets
    // "fixed"), so its own version is the one whose packages match what it writes.
    xVersion: __PKG_VERSION__,
    // The stamp `update` reads to know which migrations a project still needs.
    templateVersion: TEMPLATE_VERSION,
    cmd: commandsFor(answers.pm),
  };
  if (contract !== undefined) {
    return {
      ...common,
      ...contractTemplateData(contract),
      contractField: contract.spec,
      contractPackage: contract.packageName,
      contractPackageVersion: contract.packageVersion,
    };
  }
  return {
    ...common,
    contractName: answers.kind,
    contractField: answers.kind,
    contractTitle: answers.kind[0]!.toUpperCase() + answers.kind.slice(1),
    exampleCall: answers.kind === 'greeter' ? 'greet World' : 'transform hello',
  };
}

/**
 * Runs the generator the way turbo-gen drives plop: nodePlop → getGenerator → runPrompts (the
 * flags bypass their prompts) → runActions, any failure a CreateError. Files are rendered into a
 * staging folder first and copied into place only when every one rendered, so a failed template
 * or Ctrl-C at a prompt never leaves a half-written plugin.
 */
export async function runGenerator(flags: Flags, io: PromptIO): Promise<Generated> {
  const plop = await nodePlop();
  plop.setGenerator('plugin', {
    description: 'A plugin package for @x/host',
    prompts: () => resolveAnswers(flags, io),
    actions: (data) => {
      const { staging, kind } = data as { staging: string; kind: Answers['kind'] };
      return templateFiles(kind).map(
        (file): ActionType => ({
          type: 'add',
          path: join(staging, file.target),
          templateFile: file.source,
          abortOnFail: true,
        }),
      );
    },
  });
  const generator = plop.getGenerator('plugin');
  const answers = (await generator.runPrompts()) as Answers;

  const staging = mkdtempSync(join(tmpdir(), 'create-greeter-plugin-'));
  try {
    const { failures } = await generator.runActions({ ...templateData(answers), staging });
    if (failures.length > 0) {
      throw new CreateError({
        code: 'ERR_CREATE_GENERATE',
        what: `Generating the plugin failed; nothing was written to ${answers.dir}.`,
        why: failures.map((f) => `${f.path || f.type}: ${f.error || f.message}`).join('; '),
        fix: 'This is a bug in create-greeter-plugin: please report it with this message.',
      });
    }
    const files = templateFiles(answers.kind).map((f) => f.target);
    writeFiles(staging, answers.dir, files);
    return { answers, files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
