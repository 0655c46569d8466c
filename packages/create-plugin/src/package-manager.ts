import { getUserAgent, resolveCommand } from 'package-manager-detector';
import { PACKAGE_MANAGERS, type PackageManager } from './options.js';

/** The package manager this command was run with (`npm create`, `pnpm create`, `yarn create`), else npm. */
export function detectPackageManager(): PackageManager {
  const agent = getUserAgent();
  return PACKAGE_MANAGERS.find((pm) => agent === pm) ?? 'npm';
}

export interface Commands {
  readonly install: string;
  readonly build: string;
  readonly test: string;
}

const line = (resolved: { command: string; args: string[] } | null) =>
  resolved === null ? '' : [resolved.command, ...resolved.args].join(' ');

/** The commands the next steps and the README print, in the chosen manager's words. */
export function commandsFor(pm: PackageManager): Commands {
  return {
    install: line(resolveCommand(pm, 'install', [])),
    build: line(resolveCommand(pm, 'run', ['build'])),
    test: line(resolveCommand(pm, 'run', ['test'])),
  };
}
