import { existsSync, readdirSync, statSync } from 'node:fs';
import validateNpmName from 'validate-npm-package-name';
import { CreateError } from './errors.js';

// Folder names Windows refuses, and names that would make a confusing package or folder.
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** Why `name` cannot be the package's name (npm's own rules), or undefined if it can. */
export function nameProblem(name: string): string | undefined {
  const result = validateNpmName(name);
  const problems = [...(result.errors ?? []), ...(result.warnings ?? [])];
  if (problems.length > 0) return problems.join('; ');
  const bare = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  if (RESERVED.test(bare)) return `"${bare}" is a reserved device name on Windows`;
  return undefined;
}

export function checkName(name: string): void {
  const problem = nameProblem(name);
  if (problem === undefined) return;
  throw new CreateError({
    code: 'ERR_CREATE_NAME',
    what: `"${name}" cannot be the plugin's package name.`,
    why: `npm's rules say: ${problem}.`,
    fix: 'Pick a lower-case name of letters, digits, "-", "." or "_", e.g. greeter-plugin-french (or pass --name).',
  });
}

/**
 * Why `dir` (as typed) cannot be the folder to create, or undefined. It must be one plain folder
 * name: a path could write outside the current folder, which this command never does.
 */
export function dirProblem(dir: string): string | undefined {
  if (dir.trim() === '') return 'it is empty';
  if (/[/\\]/.test(dir)) return 'it contains a path separator; give one folder name';
  if (dir === '.' || dir.includes('..')) return 'it contains ".."';
  if (RESERVED.test(dir) || /[<>:"|?*\0]/.test(dir))
    return 'it is a reserved name or has a reserved character';
  return undefined;
}

export function checkDirName(dir: string): void {
  const problem = dirProblem(dir);
  if (problem === undefined) return;
  throw new CreateError({
    code: 'ERR_CREATE_DIR',
    what: `"${dir}" cannot be the folder to create.`,
    why: `The folder name is refused: ${problem}.`,
    fix: 'Pass a plain folder name, such as greeter-plugin-french, and run the command from its parent.',
  });
}

/** Why writing into `path` is refused (exists and is not empty, without --force), or undefined. */
export function targetProblem(path: string, force: boolean): string | undefined {
  if (!existsSync(path)) return undefined;
  if (!statSync(path).isDirectory()) return 'a file of that name exists';
  if (!force && readdirSync(path).length > 0) return 'the folder exists and is not empty';
  return undefined;
}

export function checkTarget(path: string, force: boolean): void {
  const problem = targetProblem(path, force);
  if (problem === undefined) return;
  throw new CreateError({
    code: 'ERR_CREATE_DIR',
    what: `Refusing to write into ${path}.`,
    why: `${problem[0]!.toUpperCase()}${problem.slice(1)}; nothing in it was touched.`,
    fix: problem.startsWith('a file')
      ? 'Pick another folder name.'
      : 'Pick another folder, empty this one, or pass --force to write the generated files into it (other files are left alone).',
  });
}
