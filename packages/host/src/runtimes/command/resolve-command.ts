import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { commandNotFound } from '../../errors.js';
import type { PluginPackage } from '../../manifest.js';

/**
 * The command with its program resolved as the manifest documents: with a `/`, relative to the
 * package folder; a bare name, on the host's PATH. Resolved here, not by spawn, because the
 * plugin's environment holds no PATH (only what LoadOptions.env passes), and spawn would then
 * search a default path instead of the one the host's user set.
 */
export function resolveCommand(pkg: PluginPackage): string[] {
  const [program, ...args] = pkg.manifest.command!;
  if (program!.includes('/') || isAbsolute(program!)) {
    const file = resolve(pkg.dir, program!);
    if (!isFile(file)) {
      throw commandNotFound(
        pkg.name,
        program!,
        `in the package folder (${file})`,
        'Build the plugin, or fix the path in xPlugin.command (relative to the package folder).',
      );
    }
    return [file, ...args];
  }
  const found = findOnPath(program!, process.env.PATH ?? '');
  if (found === undefined) {
    throw commandNotFound(
      pkg.name,
      program!,
      'on the PATH',
      `Install ${program} where the host's PATH finds it, or write its absolute path in xPlugin.command.`,
    );
  }
  return [found, ...args];
}

// Hand-written (not the `which` package): ten lines do not justify a runtime dependency.
function findOnPath(name: string, path: string): string | undefined {
  const extensions =
    process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE').split(';')] : [''];
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    for (const ext of extensions) {
      const file = join(dir, name + ext);
      if (isFile(file) && isExecutable(file)) return file;
    }
  }
  return undefined;
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
