// Discovery over a generated project of 1,000 installed packages, 100 of them plugins: how long
// finding them takes, and finding + loading all 100, each against a bare import() of the same
// 100 modules, interleaved (ABAB) in the same run. Every load gets its own copy of the project, because Node
// caches a module by URL: a second load of the same files would measure the cache, not a load.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTRACT_VERSION } from '@x/contract';
import { abab, compareRounds, printTable, rounds } from '../../../scripts/bench/index.mjs';
import { createHost, discoverPlugins } from '../dist/index.js';

const PACKAGES = 1_000;
const PLUGINS = 100;
const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
const PAIRS = 2; // discover + load samples per side per round

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
  // A fresh project for every discover + load (Node caches modules by URL); the baseline imports
  // another project's entries under a new query string each time, which is just as uncached.
  const projects = Array.from({ length: ROUNDS * PAIRS + 1 }, (_, i) => generateProject(`app-${i}`));
  const [first] = projects;
  let fresh = 0;
  const importAll = async () => {
    fresh++;
    await Promise.all(first.entries.map((url) => import(`${url}?baseline=${fresh}`)));
  };
  const discover = () => {
    const found = discoverPlugins({ cwd: first.dir });
    if (found.length !== PLUGINS || !found.every((p) => p.ok)) throw new Error('discovery missed plugins');
  };
  let next = 1;
  const discoverAndLoad = async () => {
    const { dir } = projects[next++];
    const host = createHost({ cwd: dir });
    const results = await host.loadAll(host.discover().map((p) => p.dir));
    if (results.length !== PLUGINS || !results.every((r) => r.ok)) throw new Error('a plugin failed to load');
    await host.close();
  };
  // The first project, loaded once untimed: Node's ESM loader and the host's code warm up.
  {
    const host = createHost({ cwd: first.dir });
    await host.loadAll(host.discover().map((p) => p.dir));
    await host.close();
  }
  const discovered = await rounds(ROUNDS, () => abab(discover, importAll, { pairs: 10, warmup: 2 }));
  const loaded = await rounds(ROUNDS, () => abab(discoverAndLoad, importAll, { pairs: PAIRS }));
  const ms = (v) => v;
  printTable(
    `Discovery: ${PACKAGES} installed packages, ${PLUGINS} plugins, vs a bare import() of the ${PLUGINS} modules, interleaved, ${ROUNDS} rounds`,
    [
      {
        name: `discover ${PLUGINS} of ${PACKAGES} (no import)`,
        unit: 'ms',
        show: ms,
        cmp: compareRounds(discovered),
        physical: false,
        note: 'reads manifests only: the import() baseline is not a floor for it',
      },
      {
        name: `discover + load all ${PLUGINS}`,
        unit: 'ms',
        show: ms,
        cmp: compareRounds(loaded),
        target: { p50: 1.5 },
        physical: true,
        note: `${PAIRS} samples per side per round: p99 is the slower of them`,
      },
    ],
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
