import { relative } from 'node:path';
import type { Answers } from './options.js';
import { commandsFor } from './package-manager.js';

const where = (answers: Answers, cwd: string) => relative(cwd, answers.dir) || '.';

/** One line: what was made, and where. */
export function summary(answers: Answers, fileCount: number, cwd: string): string {
  return (
    `Created ${answers.name} in ./${where(answers, cwd)}: a ${answers.kind} plugin ` +
    `preferring ${answers.isolation} isolation, ${fileCount} files.`
  );
}

/** The commands to run next, in the chosen package manager's words. */
export function nextSteps(answers: Answers, cwd: string, installed: boolean): string[] {
  const cmd = commandsFor(answers.pm);
  const dir = where(answers, cwd);
  return [
    ...(dir === '.' ? [] : [`cd ${dir.includes(' ') ? JSON.stringify(dir) : dir}`]),
    ...(installed ? [] : [cmd.install]),
    cmd.build,
    cmd.test,
  ];
}
