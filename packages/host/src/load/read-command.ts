import { badManifest } from '../errors.js';
import type { PluginManifest } from '../manifest.js';

/**
 * Reads `xPlugin.command`, the program and arguments that start a plugin which is not a Node
 * package (a Python script, a Go binary): undefined when absent, else a non-empty string array.
 * Shared by x-protocol plugins (readCommandManifest) and go-plugin binaries (readGoManifest).
 */
export function readCommand(
  name: string,
  x: Record<string, unknown>,
  required: boolean,
): string[] | undefined {
  const command = x.command;
  if (command === undefined && !required) return undefined;
  if (
    !Array.isArray(command) ||
    command.length === 0 ||
    command.some((c) => typeof c !== 'string' || c === '')
  ) {
    throw badManifest(
      name,
      'xPlugin.command',
      command === undefined
        ? 'is missing'
        : `must be a non-empty array of strings, not ${JSON.stringify(command)}`,
      'Set it to the program and its arguments, e.g. ["./bin/my-plugin"] (relative to the package folder) or ["python3", "./plugin.py"] (found on the PATH).',
    );
  }
  return command as string[];
}

/** A plugin started by a command always runs in a process of its own: its manifest may not ask for less. */
export function requireProcessIsolation(name: string, x: Record<string, unknown>, kind: string): void {
  if (x.isolation !== undefined && x.isolation !== 'process') {
    throw badManifest(
      name,
      'xPlugin.isolation',
      `must be "process" for ${kind}, not ${JSON.stringify(x.isolation)}`,
      `${kind[0]!.toUpperCase()}${kind.slice(1)} always runs in its own process: set "isolation": "process" or remove it.`,
    );
  }
}

/**
 * The manifest fields of a plugin that speaks x's own protocol (docs/protocol.md) but is started
 * by `xPlugin.command` instead of from a JS entry: nothing when there is no command.
 */
export function readCommandManifest(
  name: string,
  x: Record<string, unknown>,
): Pick<PluginManifest, 'command'> & { isolation?: 'process' } {
  const command = readCommand(name, x, false);
  if (command === undefined) return {};
  requireProcessIsolation(name, x, 'a plugin started by xPlugin.command');
  return { command, isolation: 'process' };
}
