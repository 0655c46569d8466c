// Discovery over a generated project of 1,000 installed packages, 100 of them plugins: how long
// finding them takes, and finding + loading all 100, each against a bare import() of the same
// 100 modules in the same run. Every load round gets its own copy of the project, because Node
// caches a module by URL: a second load of the same files would measure the cache, not a load.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTRACT_VERSION } from '@x/contract';
import { measure, printTable } from '../../../scripts/bench-table.mjs';
import { createHost, discoverPlugins } from '../dist/index.js';

const PACKAGES = 1_000;
const PLUGINS = 100;
const RUNS = 7;
const WARMUP = 1;

const root = mkdtempSync(join(tmpdir(), 'x-plugin-bench-'));

function write(file, text) {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

/** A project whose package.json lists 1,000 installed packages; every tenth one is a plugin. */
function generateProject(name) {
  const dir = join(root, name);
  const deps = {};
  const entries = [];
  for (let i = 0; i < PACKAGES; i++) {
    const isPlugin = i % (PACKAGES / PLUGINS) === 0;
    const pkg = isPlugin ? `greeter-plugin-${i}` : `dep-${i}`;
    deps[pkg] = '^1.0.0';
    const pkgDir = join(dir, 'node_modules', pkg);
    const json = { name: pkg, version: '1.0.0', type: 'module', exports: './index.js' };
    if (isPlugin) {
      Object.assign(json, {
        keywords: ['x-plugin'],
        xPlugin: { contract: 'greeter' },
        peerDependencies: { '@x/contract': '^1.0.0' },
      });
      entries.push(pathToFileURL(join(pkgDir, 'index.js')).href);
    } else {
      json.keywords = ['library'];
    }
    write(join(pkgDir, 'package.json'), JSON.stringify(json));
    write(
      join(pkgDir, 'index.js'),
      isPlugin
        ? `export const plugin = { greet: (n) => 'Hello, ' + n + ' ${i}', lang: () => 'English' };
Object.defineProperty(plugin, Symbol.for('x.plugin.stamp'), { value: { contract: 'greeter', contractVersion: '${CONTRACT_VERSION}', sdkVersion: '1.0.0' } });\n`
        : `export const value = ${i};\n`,
    );
  }
  write(join(dir, 'package.json'), JSON.stringify({ name, private: true, dependencies: deps }));
  return { dir, entries };
}

try {
  const projects = Array.from({ length: RUNS + WARMUP }, (_, i) => generateProject(`app-${i}`));
  const [first] = projects;

  let fresh = 0;
  // A bare import() of the 100 plugin modules, each under a new URL so that none is cached.
  const importAll = async () => {
    fresh++;
    await Promise.all(first.entries.map((url) => import(`${url}?baseline=${fresh}`)));
  };
  const baseline = await measure(importAll, { runs: RUNS * 3, warmup: WARMUP });

  const discovery = await measure(
    () => {
      const found = discoverPlugins({ cwd: first.dir });
      if (found.length !== PLUGINS || !found.every((p) => p.ok)) throw new Error('discovery missed plugins');
    },
    { runs: RUNS * 3, warmup: WARMUP },
  );

  let round = 0;
  const discoverAndLoad = await measure(
    async () => {
      const { dir } = projects[round++];
      const host = createHost({ cwd: dir });
      const results = await host.loadAll(host.discover().map((p) => p.dir));
      if (results.length !== PLUGINS || !results.every((r) => r.ok))
        throw new Error('a plugin failed to load');
      await host.close();
    },
    { runs: RUNS, warmup: WARMUP },
  );

  printTable(
    `Discovery: ${PACKAGES} installed packages, ${PLUGINS} plugins (median ms; baseline: bare import() of the ${PLUGINS} modules)`,
    [
      { name: `discover ${PLUGINS} of ${PACKAGES}`, value: discovery, baseline, unit: 'ms' },
      { name: `discover + load all ${PLUGINS}`, value: discoverAndLoad, baseline, unit: 'ms' },
    ],
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
