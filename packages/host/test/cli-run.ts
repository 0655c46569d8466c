import { execFile } from 'node:child_process';
import { join } from 'node:path';

// The built bin, spawned as a user runs it: `pnpm build` (turbo's test dependency) makes dist.
export const BIN = join(import.meta.dirname, '../bin/x-plugin.js');
export const HOST_APP = join(import.meta.dirname, '../../../examples/host-app');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCliBin(
  args: string[],
  cwd = HOST_APP,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}
