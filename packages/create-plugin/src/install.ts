import { spawn } from 'node:child_process';
import { resolveCommand } from 'package-manager-detector';
import type { PackageManager } from './options.js';

/** Set to 1 to skip installing (the generator's own tests), as create-vite's tests do. */
export const SKIP_INSTALL_ENV = 'CREATE_GREETER_PLUGIN_SKIP_INSTALL';

export type InstallResult = { readonly ok: true } | { readonly ok: false; readonly output: string };

/** Runs `<pm> install` in `dir`, its output captured (shown only if it fails, under the spinner). */
export function install(dir: string, pm: PackageManager): Promise<InstallResult> {
  const { command, args } = resolveCommand(pm, 'install', [])!;
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // npm, pnpm and yarn are .cmd shims on Windows, which only a shell can run.
      shell: process.platform === 'win32',
      env: { ...process.env, npm_config_yes: 'true' },
    });
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', (error) => resolve({ ok: false, output: `${output}${error.message}` }));
    child.on('close', (code, signal) =>
      resolve(
        code === 0
          ? { ok: true }
          : { ok: false, output: `${output}\n${command} exited with ${signal ?? `code ${code}`}` },
      ),
    );
  });
}
