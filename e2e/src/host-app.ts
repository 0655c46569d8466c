import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from './registry.ts';
import { type RunResult, run } from './run.ts';

/** A host app's whole program: load one plugin, call both greeter methods, print the outcome as JSON. */
const MAIN = `import { createHost } from '@x/host';

const [spec, isolation] = process.argv.slice(2);
const host = createHost({ cwd: process.cwd() });
let outcome;
try {
  const handle = await host.load(spec, isolation ? { isolation } : {});
  outcome = { ok: true, greeting: await handle.plugin.greet('World'), lang: await handle.plugin.lang() };
} catch (error) {
  outcome = { ok: false, code: error.code, message: error.message };
} finally {
  await host.close();
}
console.log(JSON.stringify(outcome));
`;

/** Makes a new, empty host app in a fresh temp dir: what `npm init` gives a user. */
export function createHostApp(registry: Registry): string {
  const dir = registry.tempDir('host-app-');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'e2e-host-app', version: '1.0.0', private: true, type: 'module' }, null, 2),
  );
  writeFileSync(join(dir, 'main.js'), MAIN);
  return dir;
}

/** `npm install <packages...>` in the app from the test registry; resolves even on failure, for the caller to assert. */
export function npmInstall(registry: Registry, app: string, args: readonly string[]): Promise<RunResult> {
  return run('npm', ['install', ...args, '--registry', registry.url], {
    cwd: app,
    env: registry.env,
    allowFailure: true,
  });
}

export type CallOutcome =
  | { ok: true; greeting: string; lang: string }
  | { ok: false; code: string; message: string };

/** Runs the app's main.js in its own Node process: the installed packages, nothing from the workspace. */
export async function callPlugin(
  registry: Registry,
  app: string,
  plugin: string,
  isolation?: string,
): Promise<CallOutcome> {
  const args = ['main.js', plugin, ...(isolation ? [isolation] : [])];
  const { stdout } = await run(process.execPath, args, { cwd: app, env: registry.env });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as CallOutcome;
}
