import { spawn } from 'node:child_process';

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Resolve with a non-zero exit instead of rejecting, for steps whose failure is the assertion. */
  readonly allowFailure?: boolean;
}

/**
 * Runs a command and collects its output. Always asynchronous: Verdaccio serves from this very
 * process, so a synchronous child (execFileSync) would block the registry it is talking to.
 */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code, stdout, stderr };
      if (code === 0 || options.allowFailure) resolve(result);
      else
        reject(
          new Error(
            `\`${command} ${args.join(' ')}\` in ${options.cwd} exited ${code}\n${stdout}\n${stderr}`,
          ),
        );
    });
  });
}
