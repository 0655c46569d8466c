import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const PACKAGE_DIR = join(import.meta.dirname, '..');
export const BIN = join(PACKAGE_DIR, 'index.js');
export const VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

/** Git that reads no user or system config, with an identity, so commits work on any machine. */
export const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built bin (what `npm create greeter-plugin` runs), stdin not a terminal. */
export function runCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const { npm_config_user_agent: _, ...parentEnv } = process.env;
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...parentEnv, ...GIT_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'cgp-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export const remove = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** Every file under `dir` with its content, relative paths sorted; `.git` and node_modules left out. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      if (entry === '.git' || entry === 'node_modules') continue;
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}
