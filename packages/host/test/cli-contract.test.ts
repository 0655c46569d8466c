import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { contractToJson, defineContract, t } from '@x/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShapesContract, addShapesPlugin } from './contract-fixtures.js';
import { Project } from './fixtures.js';

// The built bin, spawned as a user runs it (`pnpm build` makes dist).
const BIN = join(import.meta.dirname, '../bin/x-plugin.js');

function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

const area = (params: unknown[], version = '1.3.0') =>
  contractToJson(
    defineContract({
      name: 'shapes',
      version,
      methods: { area: { params, returns: t.number() } as never, name: { params: [], returns: 'string' } },
    }),
  );
const box = { name: 'box', type: t.object({ w: t.number(), h: t.number() }) };

let project: Project;
beforeAll(() => {
  expect(existsSync(join(import.meta.dirname, '../dist/cli.js')), 'run `pnpm build` first').toBe(true);
  project = new Project();
  project.link('@x/contract');
  addShapesContract(project);
  addShapesPlugin(project);
  project.write(
    'package.json',
    JSON.stringify({
      name: 'fixture-app',
      private: true,
      dependencies: { 'shapes-plugin': '1.0.0', 'shapes-contract': '1.2.0' },
    }),
  );
  project.write('breaking.json', JSON.stringify(area([box, { name: 'unit', type: t.string() }])));
  project.write(
    'compatible.json',
    JSON.stringify(area([box, { name: 'unit', type: t.optional(t.string()) }])),
  );
  project.write(
    'broken.json',
    '{"name": "shapes", "methods": {"area": {"params": [{"type": "string"}], "returns": "void"}}}',
  );
});
afterAll(() => project.remove());

describe('x-plugin contract diff', () => {
  it('exits 1 and names each breaking change', async () => {
    const r = await run(['contract', 'diff', 'shapes-contract#shapes', './breaking.json'], project.dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('shapes@1.2.0 → shapes@1.3.0: BREAKING (1 breaking change)');
    expect(r.stdout).toContain(
      'breaking  param-added-required  area: the param "unit" was added as required',
    );
  });

  it('exits 0 for a compatible change, and prints JSON with --json', async () => {
    const r = await run(['contract', 'diff', 'shapes-contract', 'compatible.json'], project.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('shapes@1.2.0 → shapes@1.3.0: compatible');
    expect(r.stdout).toContain('ok        param-added-optional  area: the optional param "unit" was added.');
    const json = await run(['contract', 'diff', 'compatible.json', 'shapes-contract', '--json'], project.dir);
    expect(JSON.parse(json.stdout)).toMatchObject({
      compatible: false,
      changes: [{ kind: 'param-removed', method: 'area', breaking: true }],
    });
    expect(json.code).toBe(1);
  });

  it('refuses what is not a contract, with a code', async () => {
    const broken = await run(['contract', 'diff', 'broken.json', 'shapes-contract'], project.dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /^ERR_PLUGIN_CONTRACT: "broken.json" could not be read as a contract\..*has no name/,
    );
    const missing = await run(['contract', 'diff', 'no-such-contract', 'shapes-contract'], project.dir);
    expect(missing.stderr).toContain('No package "no-such-contract" is installed');
    const usage = await run(['contract', 'diff', 'only-one'], project.dir);
    expect(usage.code).toBe(2);
  });
});

describe('x-plugin call, list and doctor for a plugin of a contract package, with no flag', () => {
  it('call parses a JSON argument for a schema param, in every isolation', async () => {
    for (const isolation of ['in-process', 'worker', 'process']) {
      const r = await run(
        ['call', 'shapes-plugin', 'area', '{"w":2,"h":3}', '--isolation', isolation],
        project.dir,
      );
      expect(r.stderr, isolation).toBe('');
      expect(r.stdout, isolation).toBe('6\n');
    }
  });

  it('list and doctor judge it compatible', async () => {
    const list = await run(['list', '--json'], project.dir);
    const { plugins } = JSON.parse(list.stdout) as { plugins: { name: string; compatible: boolean }[] };
    expect(plugins.find((p) => p.name === 'shapes-plugin')?.compatible).toBe(true);
    const doctor = await run(['doctor'], project.dir);
    expect(doctor.stdout).toContain('ok   shapes-plugin@1.0.0 (shapes-contract#shapes)');
    expect(doctor.code).toBe(0);
  });
});
