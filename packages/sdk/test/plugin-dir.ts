import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const workspacePackage = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** A real, "built" plugin package in a temp dir, with the workspace's @x/contract and @x/sdk linked in. */
export function writePlugin(name: string, code: string, xPlugin: object = { contract: 'greeter' }): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'x-sdk-testing-')));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name,
      version: '1.0.0',
      type: 'module',
      exports: './index.js',
      xPlugin,
      peerDependencies: { '@x/contract': '^1.0.0' },
    }),
  );
  writeFileSync(join(dir, 'index.js'), code);
  for (const pkg of ['@x/contract', '@x/sdk']) {
    const link = join(dir, 'node_modules', pkg);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(workspacePackage(pkg), link, 'dir');
  }
  return dir;
}

export const removePlugin = (dir: string) => rmSync(dir, { recursive: true, force: true });
