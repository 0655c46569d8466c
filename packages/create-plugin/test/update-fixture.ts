import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Project } from '../src/update/migration.js';
import type { LoadedProject } from '../src/update/project.js';

/** fixtures/template-1.0/<kind>: a project exactly as the 1.0 template made it (fixtures/render-template-1.0.mjs). */
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const fixtureDir = (kind: 'greeter' | 'transformer') => join(FIXTURES, 'template-1.0', kind);

/** Copies the 1.0 fixture of `kind` to `to`. */
export function copyFixture(kind: 'greeter' | 'transformer', to: string): string {
  cpSync(fixtureDir(kind), to, { recursive: true });
  return to;
}

/** The fixture's files in memory, `overrides` laid over them (undefined removes a file). */
export function memoryProject(
  kind: 'greeter' | 'transformer',
  overrides: Record<string, string | undefined> = {},
  templateVersion = '1.0.0',
): LoadedProject & Project {
  const dir = fixtureDir(kind);
  const files = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  for (const [path, text] of Object.entries(overrides)) {
    if (text === undefined) files.delete(path);
    else files.set(path, text);
  }
  return { dir, templateVersion, stamped: templateVersion !== '1.0.0', read: (path) => files.get(path) };
}

export const CONTEXT = { force: false, generatorVersion: '1.0.0' } as const;
