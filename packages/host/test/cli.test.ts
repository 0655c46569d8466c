import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from './fixtures.js';

// The built bin, spawned as a user runs it: `pnpm build` (turbo's test dependency) makes dist.
const BIN = join(import.meta.dirname, '../bin/x-plugin.js');
const HOST_APP = join(import.meta.dirname, '../../../examples/host-app');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd = HOST_APP): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

beforeAll(() => {
  expect(existsSync(join(import.meta.dirname, '../dist/cli.js')), 'run `pnpm build` first').toBe(true);
});

describe('x-plugin against examples/host-app', () => {
  it('list: the six example plugins, each with its contract, version and verdict', async () => {
    const text = await run(['list', '--cwd', HOST_APP], '/');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^PLUGIN\s+VERSION\s+CONTRACT\s+ISOLATION\s+STATUS$/m);
    expect(text.stdout).toMatch(/^greeter-plugin-english\s+1\.0\.0\s+greeter\s+in-process\s+compatible$/m);
    const json = await run(['list', '--json']);
    const { plugins } = JSON.parse(json.stdout) as { plugins: Record<string, unknown>[] };
    expect(plugins.map((p) => [p.name, p.contract, p.compatible])).toEqual([
      ['greeter-plugin-english', 'greeter', true],
      ['greeter-plugin-spanish', 'greeter', true],
      // A contract from its own package, found from the plugin's manifest with no flag.
      ['text-analyzer-plugin', 'text-analysis-contract', true],
      ['transformer-plugin-reverse', 'transformer', true],
      ['transformer-plugin-upper', 'transformer', true],
      // A plugin that talks back, for a second contract of the same package ("<package>#<export>").
      ['word-streamer-plugin', 'text-analysis-contract#wordStream', true],
    ]);
    expect(Object.keys(plugins[0]!)).toEqual([
      'name',
      'version',
      'dir',
      'source',
      'contract',
      'isolation',
      'compatible',
      'problems',
      'warnings',
    ]);
  });

  it('doctor: every example loads, exit 0', async () => {
    const result = await run(['doctor', '--cwd', HOST_APP]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok   greeter-plugin-spanish@1.0.0 (greeter)');
    expect(result.stdout).toContain('ok   text-analyzer-plugin@1.0.0 (text-analysis-contract)');
    expect(result.stdout).toContain('6 plugin(s) checked, 0 would not load.');
  });

  it('call: prints the answer, or with --json a stable document', async () => {
    const text = await run(['call', 'greeter-plugin-spanish', 'greet', 'Mundo']);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toBe('¡Hola, Mundo! Mucho gusto.\n');
    const json = await run([
      'call',
      'transformer-plugin-reverse',
      'transform',
      'abc',
      '--json',
      '--timeout',
      '5000',
    ]);
    expect(JSON.parse(json.stdout)).toEqual({
      plugin: 'transformer-plugin-reverse',
      version: '1.0.0',
      method: 'transform',
      result: 'cba',
    });
  });

  it('call: a plugin error is `CODE: message` on stderr and exit 1 (and JSON with --json)', async () => {
    const missing = await run(['call', 'greeter-plugin-french', 'greet', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ERR_PLUGIN_NOT_FOUND: Plugin not found: greeter-plugin-french\./);
    const method = await run(['call', 'greeter-plugin-english', 'shout', '--json']);
    expect(method.code).toBe(1);
    expect(method.stderr).toMatch(/^ERR_PLUGIN_CONTRACT: /);
    expect(JSON.parse(method.stdout)).toMatchObject({
      error: { code: 'ERR_PLUGIN_CONTRACT', plugin: 'greeter-plugin-english' },
    });
    const args = await run(['call', 'greeter-plugin-english', 'greet']);
    expect(args.stderr).toContain('It takes (name: string) but got ()');
  });

  it('call: passes --isolation through to the loader', async () => {
    // A plugin that answers where it runs: on the main thread, or in a worker.
    const project = new Project();
    try {
      project.link('@x/contract');
      project.addPlugin('greeter-plugin-where', {
        files: {
          'index.js': `import { isMainThread } from 'node:worker_threads';
export const plugin = { greet: (n) => n, lang: () => (isMainThread ? 'main' : 'worker') };`,
        },
      });
      const worker = await run(
        ['call', 'greeter-plugin-where', 'lang', '--isolation', 'worker'],
        project.dir,
      );
      expect(worker).toMatchObject({ code: 0, stdout: 'worker\n' });
      const inProcess = await run(
        ['call', 'greeter-plugin-where', 'lang', '--isolation', 'in-process'],
        project.dir,
      );
      expect(inProcess).toMatchObject({ code: 0, stdout: 'main\n' });
    } finally {
      project.remove();
    }
  });

  it.each([
    [[], /Missing the command/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['call', 'greeter-plugin-english'], /call needs a plugin and a method/],
    [
      ['call', 'p', 'm', '--isolation', 'vm'],
      /--isolation must be one of in-process, worker, process, not "vm"/,
    ],
    [['call', 'p', 'm', '--timeout', 'soon'], /--timeout must be a whole number/],
    [['list', '--timeout', '5'], /--timeout does not apply to "list"/],
    [['list', '--colour'], /Unknown option '--colour'/],
  ])('usage error for %j: exit 2', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ERR_USAGE: /);
    expect(result.stderr).toMatch(message);
  });

  it('--help and --version: exit 0', async () => {
    expect((await run(['--help'])).stdout).toContain('Exit codes: 0 ok, 1 a plugin failed');
    expect((await run(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('x-plugin against a plugin directory', () => {
  let project: Project;
  beforeAll(() => {
    project = new Project();
    project.link('@x/contract');
    project.addPlugin('english', {}, 'plugins/english');
    project.addPlugin(
      'next',
      { packageJson: { peerDependencies: { '@x/contract': '^2.0.0' }, engines: { node: '>=99' } } },
      'plugins/next',
    );
    project.addPlugin(
      'sloppy',
      { packageJson: { xPlugin: { contract: 'greeter', isolation: 3 }, peerDependencies: {} } },
      'plugins/sloppy',
    );
    project.addPlugin(
      'rebuilt',
      {
        files: {
          'index.js': `export const plugin = { greet: (n) => n, lang: () => 'x' };
Object.defineProperty(plugin, Symbol.for('x.plugin.stamp'), { value: { contract: 'greeter', contractVersion: '2.0.0', sdkVersion: '2.0.0' } });`,
        },
      },
      'plugins/rebuilt',
    );
    project.addPlugin(
      'ticking',
      {
        files: {
          'index.js': `setInterval(() => {}, 1000);\nexport const plugin = { greet: (n) => n, lang: () => 'tick' };`,
        },
      },
      'plugins/ticking',
    );
    project.addPlugin(
      'slow',
      {
        files: {
          'index.js': 'export const plugin = { greet: () => new Promise(() => {}), lang: () => "x" };',
        },
      },
      'plugins/slow',
    );
  });
  afterAll(() => project.remove());

  it('list --dir: each plugin and its verdict, without loading any', async () => {
    const result = await run(['list', '--dir', 'plugins', '--json'], project.dir);
    expect(result.code).toBe(0);
    const { plugins } = JSON.parse(result.stdout) as {
      plugins: { name: string; compatible: boolean; problems: { code: string }[] }[];
    };
    expect(plugins.map((p) => [p.name, p.compatible, p.problems.map((e) => e.code)])).toEqual([
      ['english', true, []],
      ['next', false, ['ERR_PLUGIN_INCOMPATIBLE', 'ERR_PLUGIN_INCOMPATIBLE']],
      ['rebuilt', true, []],
      ['sloppy', false, ['ERR_PLUGIN_MANIFEST', 'ERR_PLUGIN_MANIFEST']],
      ['slow', true, []],
      ['ticking', true, []],
    ]);
  });

  it('doctor --dir: every problem of every plugin at once, exit 1', async () => {
    const result = await run(['doctor', '--dir', 'plugins'], project.dir);
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toContain('ok   english@1.0.0 (greeter)');
    expect(out).toContain('FAIL next@1.0.0 (greeter)');
    expect(out).toContain('ERR_PLUGIN_INCOMPATIBLE: Plugin "next" requires @x/contract ^2.0.0');
    expect(out).toContain('ERR_PLUGIN_INCOMPATIBLE: Plugin "next" requires Node.js >=99');
    expect(out).toContain('field "xPlugin.isolation" must be one of');
    expect(out).toContain('field "peerDependencies["@x/contract"]" is missing');
    expect(out).toMatch(/FAIL rebuilt@1\.0\.0[\s\S]*Rebuild rebuilt with @x\/sdk/);
    expect(out).toContain('6 plugin(s) checked, 3 would not load.');
  });

  it('doctor <plugin...>: named plugins only, JSON on request', async () => {
    const ok = await run(['doctor', './plugins/english'], project.dir);
    expect(ok.code).toBe(0);
    const json = await run(['doctor', './plugins/rebuilt', 'greeter-plugin-french', '--json'], project.dir);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      plugins: { loads: boolean; problems: { code: string }[] }[];
    };
    expect(report.ok).toBe(false);
    expect(report.plugins.map((p) => [p.loads, p.problems.map((e) => e.code)])).toEqual([
      [false, ['ERR_PLUGIN_INCOMPATIBLE']],
      [false, ['ERR_PLUGIN_NOT_FOUND']],
    ]);
  });

  it('call by path; exits when done even if the plugin leaves a timer running', async () => {
    const result = await run(['call', './plugins/ticking', 'lang'], project.dir);
    expect(result).toMatchObject({ code: 0, stdout: 'tick\n' });
  });

  it('call --timeout: ERR_PLUGIN_TIMEOUT, exit 1', async () => {
    const result = await run(['call', './plugins/slow', 'greet', 'x', '--timeout', '50'], project.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_PLUGIN_TIMEOUT: /);
  });
});
