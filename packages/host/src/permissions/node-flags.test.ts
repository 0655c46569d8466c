import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveGrants } from './grants.js';
import { PERMISSION_FLAG, permissionFlags, signalGuardPath } from './node-flags.js';

let root: string;
function pkg(dir: string, json: Record<string, unknown>): string {
  mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, dir, 'package.json'), JSON.stringify(json));
  return join(root, dir);
}
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'x-flags-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('permissionFlags', () => {
  it('reads: the script folder, the plugin and its declared dependencies (link and real path); nothing else', () => {
    pkg('host', { name: '@x/host', dependencies: { rpc: '1' } });
    mkdirSync(join(root, 'host/dist/isolate'), { recursive: true });
    const script = join(root, 'host/dist/isolate/bootstrap.js');
    const rpc = pkg('host/node_modules/rpc', { name: 'rpc' });
    const plugin = pkg('app/node_modules/plugin', {
      name: 'plugin',
      dependencies: { dep: '1' },
      peerDependencies: { peer: '1' },
    });
    const dep = pkg('app/node_modules/dep', { name: 'dep', dependencies: { deeper: '1' } });
    const deeper = pkg('app/node_modules/deeper', { name: 'deeper' });
    const store = pkg('store/peer', { name: 'peer' });
    symlinkSync(store, join(root, 'app/node_modules/peer'), 'dir');
    pkg('app/node_modules/undeclared', { name: 'undeclared' });

    const flags = permissionFlags(resolveGrants(plugin), plugin, script);
    const reads = flags.filter((f) => f.startsWith('--allow-fs-read=')).map((f) => f.slice(16));
    expect(flags[0]).toBe(PERMISSION_FLAG);
    // The signal guard runs first in every sandboxed process (guard-signals.ts), so it is readable.
    expect(flags[1]).toBe(`--require=${signalGuardPath()}`);
    expect(reads.sort()).toEqual(
      [
        signalGuardPath(),
        dirname(script),
        join(root, 'host/package.json'),
        rpc,
        plugin,
        dep,
        deeper,
        join(root, 'app/node_modules/peer'),
        store,
      ].sort(),
    );
    expect(flags.some((f) => /--allow-(fs-write|child-process|worker|addons|wasi)/.test(f))).toBe(false);
  });

  it('adds the granted paths (relative to the plugin) and switches; a missing path counts as a folder too', () => {
    const plugin = pkg('plugin', { name: 'plugin' });
    pkg('data', {});
    const flags = permissionFlags(
      resolveGrants(plugin, {
        fsRead: ['../data'],
        fsWrite: ['/nonexistent/out'],
        childProcess: true,
        worker: true,
        addons: true,
        wasi: true,
      }),
      plugin,
      join(plugin, 'server.js'),
    );
    expect(flags).toContain(`--allow-fs-read=${join(root, 'data')}`);
    expect(flags).toContain('--allow-fs-write=/nonexistent/out');
    expect(flags).toContain('--allow-fs-write=/nonexistent/out/*');
    for (const f of ['--allow-child-process', '--allow-worker', '--allow-addons', '--allow-wasi'])
      expect(flags).toContain(f);
  });
});
