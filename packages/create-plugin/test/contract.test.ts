import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateFiles } from '../src/templates.js';
import { PACKAGE_DIR, remove, runCli, snapshot, tempDir, VERSION } from './run-cli.js';

// --contract: a plugin for any contract package, its stubs and tests written from the contract's
// schemas. The contract package is a real one (built with `t` from the workspace's @x/contract),
// installed in the folder the generator runs in; the generated plugin is then type-checked, built
// and tested with the workspace's own @x/sdk, @x/host, TypeScript, tsup and vitest.
const WORKSPACE = join(PACKAGE_DIR, '..', '..');
const CONTRACT_SOURCE = `import { defineContract, t } from '@x/contract';
export const imageFilter = defineContract({
  name: 'image-filter',
  version: '1.2.0',
  methods: {
    apply: {
      params: [{ name: 'image', type: t.bytes() }, { name: 'opts', type: t.object({ strength: t.number(), label: t.optional(t.string()) }) }],
      returns: t.object({ image: t.bytes(), tookMs: t.number(), tags: t.array(t.string()) }),
    },
    size: { params: [{ name: 'dims', type: t.object({ w: t.integer(), h: t.integer() }) }], returns: 'number' },
    describe: { params: [{ name: 'id', type: t.bigint() }, { name: 'at', type: t.optional(t.date()) }], returns: t.nullable(t.string()) },
    tiles: { params: [{ name: 'image', type: t.bytes() }], returns: t.stream(t.bytes()) },
    reset: { params: [], returns: 'void' },
  },
});
`;

let root: string;
const link = (from: string, name: string) => {
  const to = join(root, 'node_modules', name);
  mkdirSync(dirname(to), { recursive: true });
  symlinkSync(from, to, 'dir');
};

beforeAll(() => {
  root = tempDir();
  const pkg = join(root, 'node_modules', 'image-filter-contract');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'image-filter-contract',
      version: '1.2.0',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    }),
  );
  mkdirSync(join(pkg, 'src'));
  writeFileSync(join(pkg, 'src', 'index.ts'), CONTRACT_SOURCE);
  writeFileSync(
    join(pkg, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true },
    }),
  );
  // What `npm install` would put beside it: the peers and the tools the generated package uses.
  link(join(WORKSPACE, 'packages', 'contract'), '@x/contract');
  link(join(WORKSPACE, 'packages', 'sdk'), '@x/sdk');
  link(join(WORKSPACE, 'packages', 'host'), '@x/host');
  // @x/contract's own dependency, hoisted beside it as npm does: its types name TypeBox's.
  link(
    realpathSync(join(WORKSPACE, 'packages', 'contract', 'node_modules', '@sinclair', 'typebox')),
    '@sinclair/typebox',
  );
  for (const tool of ['typescript', 'tsup', 'vitest', '@types/node'])
    link(join(WORKSPACE, 'node_modules', tool), tool);
  // Built as a contract package is published: ESM and its declarations.
  const built = exec(bin('tsup'), ['src/index.ts', '--format', 'esm', '--dts', '--target', 'node20'], pkg);
  expect(built.status, built.stdout + built.stderr).toBe(0);
}, 120_000);
afterAll(() => remove(root));

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const bin = (tool: string) => join(WORKSPACE, 'node_modules', '.bin', tool);
const exec = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000 });

describe('--contract <package>', () => {
  it('generates a plugin for the package’s contract: the shared files and the contract template’s', () => {
    const { status, stdout, stderr } = runCli(
      ['filter', '--contract', 'image-filter-contract', '--no-install', '--no-git'],
      root,
    );
    expect(status, stderr).toBe(0);
    expect(stdout).toContain('a contract plugin');
    const dir = join(root, 'filter');
    expect(Object.keys(snapshot(dir)).filter((f) => !f.startsWith('node_modules'))).toEqual(
      templateFiles('contract').map((f) => f.target),
    );
    expect(json(join(dir, 'package.json'))).toMatchObject({
      keywords: ['x-plugin', 'image-filter'],
      xPlugin: { contract: 'image-filter-contract', export: 'plugin', isolation: 'in-process' },
      peerDependencies: { 'image-filter-contract': '^1.2.0', '@x/contract': `^${VERSION}` },
      devDependencies: { 'image-filter-contract': '^1.2.0', '@x/sdk': `^${VERSION}` },
    });
    const source = readFileSync(join(dir, 'src', 'index.ts'), 'utf8');
    expect(source).toContain("import { imageFilter as contract } from 'image-filter-contract';");
    for (const stub of [
      'apply(_image, _opts) {',
      'size(_dims) {',
      'describe(_id, _at) {',
      'async *tiles(_image) {',
      'reset() {',
    ])
      expect(source).toContain(stub);
    expect(source).toContain('return { image: new Uint8Array([1, 2, 3]), tookMs: 1, tags: ["example"] };');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(
      `npx x-plugin call . size '{"w":1,"h":1}'`,
    );
  });

  it('type-checks, builds, and passes its own unit and conformance tests', () => {
    const dir = join(root, 'filter');
    const tsc = exec(bin('tsc'), ['-p', '.'], dir);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const build = exec(bin('tsup'), [], dir);
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const test = exec(bin('vitest'), ['run'], dir, { X_PLUGIN_TEST_ISOLATIONS: 'in-process', NO_COLOR: '1' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/Tests\s+\d+ passed/);
  }, 300_000);

  it('refuses --kind with --contract, a bad package name, and a package that is not there', () => {
    const both = runCli(['x', '--kind', 'greeter', '--contract', 'image-filter-contract'], root);
    expect(both.status).toBe(1);
    expect(both.stderr).toContain('--kind greeter and --contract image-filter-contract were both given');
    const bad = runCli(['x', '--contract', '../evil', '--no-install'], root);
    expect(bad.stderr).toContain('"../evil" is not an npm package name');
    const missing = runCli(['x', '--contract', 'no-such-contract-package', '--no-install'], root);
    expect(missing.stderr).toContain('no-such-contract-package is not installed here');
    const noExport = runCli(['x', '--contract', 'image-filter-contract#nope', '--no-install'], root);
    expect(noExport.stderr).toContain('It has no contract exported as "nope"');
    expect(noExport.stderr).toContain('Its contracts are: imageFilter');
  });
});
