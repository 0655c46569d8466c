import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_DIR } from './run-cli.js';

export const WORKSPACE = join(PACKAGE_DIR, '..', '..');

/**
 * What `npm install` would put in a generated project's node_modules, offline: the workspace's own
 * @x/contract, @x/sdk and @x/host (built), and the tools the project runs (as test/contract.test.ts
 * does). Linked, so the project builds and tests against this commit's packages.
 */
export function linkWorkspaceDeps(project: string): void {
  const link = (from: string, name: string) => {
    const to = join(project, 'node_modules', name);
    mkdirSync(dirname(to), { recursive: true });
    symlinkSync(from, to, 'dir');
  };
  for (const pkg of ['contract', 'sdk', 'host']) link(join(WORKSPACE, 'packages', pkg), `@x/${pkg}`);
  // @x/contract's own dependency, hoisted beside it as npm does: its types name TypeBox's.
  link(
    realpathSync(join(WORKSPACE, 'packages', 'contract', 'node_modules', '@sinclair', 'typebox')),
    '@sinclair/typebox',
  );
  for (const tool of ['typescript', 'tsup', 'vitest', '@types/node'])
    link(join(WORKSPACE, 'node_modules', tool), tool);
}

export const workspaceBin = (tool: string) => join(WORKSPACE, 'node_modules', '.bin', tool);
