import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from './registry.ts';
import { run } from './run.ts';

/** The monorepo's root: e2e/ sits directly under it. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The packages a release publishes; everything else in the workspace is private. */
export const PUBLISHED = ['@x/contract', '@x/sdk', '@x/host', 'create-greeter-plugin'] as const;

/** Folder of each published package, relative to the repo root. */
export const PUBLISHED_DIRS: Record<(typeof PUBLISHED)[number], string> = {
  '@x/contract': 'packages/contract',
  '@x/sdk': 'packages/sdk',
  '@x/host': 'packages/host',
  'create-greeter-plugin': 'packages/create-plugin',
};

export function readVersion(root: string, dir: string): string {
  return (JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Publishes every public workspace package, built, as a release does: pnpm packs each one,
 * rewriting `workspace:^` to real ranges, and publishes in dependency order. Returns pnpm's output.
 */
export async function publishWorkspace(registry: Registry, root = REPO_ROOT): Promise<string> {
  const { stdout } = await run('pnpm', ['publish', '-r', '--registry', registry.url, '--no-git-checks'], {
    cwd: root,
    env: registry.env,
  });
  return stdout;
}

/**
 * Publishes a stand-in for a future major of @x/contract (today's build, re-versioned), so that a
 * plugin built for that major resolves on the registry and npm meets a real peer conflict, as users will.
 */
export async function publishContractMajor(registry: Registry, version: string): Promise<void> {
  const dir = registry.tempDir('contract-major-');
  const source = join(REPO_ROOT, PUBLISHED_DIRS['@x/contract']);
  cpSync(join(source, 'dist'), join(dir, 'dist'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version, scripts: {} }, null, 2));
  await run('npm', ['publish', '--registry', registry.url], { cwd: dir, env: registry.env });
}
