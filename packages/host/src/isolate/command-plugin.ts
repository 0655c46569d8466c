import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { commandNotFound, commandPluginOption } from '../errors.js';
import type { Isolation, PluginPackage } from '../manifest.js';
import type { PermissionsOption } from '../permissions/grants.js';

/** The load options that only shape a Node plugin. */
interface NodeOnlyOptions {
  readonly permissions?: PermissionsOption;
  readonly execArgv?: readonly string[];
  readonly maxHeapMb?: number;
  readonly server?: string;
}

/**
 * A plugin started by xPlugin.command (a Python script, say) runs in a process of its own, and
 * Node's flags and permission model do not reach it: refuse such options instead of silently
 * running the program with less confinement than the host asked for.
 */
export function checkCommandOptions(
  pkg: PluginPackage,
  isolation: Isolation,
  options: NodeOnlyOptions,
): void {
  const command = pkg.manifest.command!;
  const refuse = (option: string, why: string, fix: string) => {
    throw commandPluginOption(pkg.name, option, command, why, fix);
  };
  if (isolation !== 'process') {
    refuse(
      'isolation',
      `only Node code can run ${isolation === 'worker' ? 'in a worker thread' : 'in-process'}`,
      'Load it with { isolation: "process" }, or without an isolation option.',
    );
  }
  if (options.permissions !== undefined && options.permissions !== false) {
    refuse(
      'permissions',
      "Node's permission model confines Node processes only",
      'Remove the option and confine the program by other means (a container, a user of its own), or load a Node plugin.',
    );
  }
  if (options.execArgv !== undefined && options.execArgv.length > 0) {
    refuse(
      'execArgv',
      'those are flags of node',
      "Remove the option; put the program's own flags in xPlugin.command.",
    );
  }
  if (options.maxHeapMb !== undefined) {
    refuse(
      'maxHeapMb',
      "it sets Node's heap limit",
      'Remove the option; limit memory with the OS (ulimit, cgroups).',
    );
  }
  if (options.server !== undefined) {
    refuse('server', 'it names a Node script to run instead of the plugin', 'Remove the option.');
  }
}

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
