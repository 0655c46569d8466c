import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from './fixtures.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
export const GO_KV_DIR = join(EXAMPLES, 'go-kv');
export const PYTHON_KV_DIR = join(EXAMPLES, 'python-kv');
export const KV_CONTRACT_DIR = join(EXAMPLES, 'kv-contract');

/** Builds go-plugin's examples/grpc KV plugin (examples/go-kv) with its own build script. */
export function buildGoKv(out: string): void {
  execFileSync('sh', [join(GO_KV_DIR, 'build.sh'), out], { stdio: 'inherit', timeout: 600_000 });
}

/**
 * Writes a KV example into the project as a plugin package at `at`: its real manifest (overridden
 * by `xPlugin`), its .proto and the given files, with kv-contract and @x/contract installed in the
 * project's node_modules, where the host finds the contract package from the manifest.
 */
export function addKvPlugin(
  project: Project,
  example: string,
  at: string,
  xPlugin: object = {},
  files: readonly string[] = [],
): string {
  const pkg = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8')) as {
    xPlugin: Record<string, unknown>;
  };
  project.write(
    join(at, 'package.json'),
    JSON.stringify({ ...pkg, xPlugin: { ...pkg.xPlugin, ...xPlugin } }, null, 2),
  );
  for (const file of ['proto/kv.proto', ...files]) {
    const to = join(project.dir, at, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(example, file), to);
  }
  linkOnce(project, 'kv-contract', KV_CONTRACT_DIR);
  linkOnce(project, '@x/contract');
  return join(project.dir, at);
}

const linked = new WeakMap<Project, Set<string>>();
function linkOnce(project: Project, name: string, target?: string): void {
  const done = linked.get(project) ?? new Set<string>();
  linked.set(project, done);
  if (done.has(name)) return;
  project.link(name, target);
  done.add(name);
}
