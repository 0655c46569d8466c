import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCliBin } from './cli-run.js';
import { Project } from './fixtures.js';
import { isAlive } from './isolation-helpers.js';

// Issue 16: `x-plugin dev <plugin>` (watch mode from the command line) and `x-plugin call --stats`.

const version = (v: string) => `export const plugin = {
  greet: (name) => { if (name === 'boom') throw new RangeError('boom'); return \`${v} \${name}\`; },
  lang: () => '${v}',
};
`;

// A watch build as a package might have one: copies src/ to dist/ on every change, until ended.
const BUILD = `import { copyFileSync, mkdirSync, watch, writeFileSync } from 'node:fs';
writeFileSync('build.pid', String(process.pid));
mkdirSync('dist', { recursive: true });
const copy = () => copyFileSync('src/index.js', 'dist/index.js');
copy();
watch('src', () => { try { copy(); } catch {} });
`;

const project = new Project();
afterAll(() => project.remove());

/** Starts `x-plugin dev`, and resolves once its stderr matches each pattern in turn. */
function dev(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'dev', ...args], {
    cwd: project.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms = 20_000) => {
    const end = Date.now() + ms;
    while (!pattern.test(stderr)) {
      if (Date.now() > end) throw new Error(`no ${pattern} in:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, exited, waitFor, stderr: () => stderr };
}

describe('x-plugin dev', () => {
  it('runs an in-process plugin in a worker, reloads it on an edit, logs a broken one, and ends on SIGINT', async () => {
    const dir = project.addPlugin('greeter-dev', { files: { 'index.js': version('v1') } }, 'greeter-dev');
    const run = dev([dir]);
    await run.waitFor(/Watching greeter-dev 1\.0\.0 \(worker\)/);
    expect(run.stderr()).toContain('dev runs it in a worker');
    writeFileSync(join(dir, 'index.js'), version('v2'));
    await run.waitFor(/Reloaded "greeter-dev"/);
    writeFileSync(join(dir, 'index.js'), 'export const plugin = {');
    await run.waitFor(/error: Plugin "greeter-dev" was not reloaded/);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  }, 60_000);

  it("runs the package's watch build, reloads what it builds, and ends the build with itself", async () => {
    const dir = project.addPlugin(
      'greeter-built',
      {
        files: { 'src/index.js': version('v1'), 'build.mjs': BUILD },
        packageJson: { exports: './dist/index.js', scripts: { 'build:watch': 'node build.mjs' } },
      },
      'greeter-built',
    );
    // Built once, as a checkout would be before `dev`.
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'dist'));
    copyFileSync(join(dir, 'src/index.js'), join(dir, 'dist/index.js'));
    const run = dev([dir]);
    await run.waitFor(/Running "npm run build:watch"/);
    await run.waitFor(/Watching greeter-built/);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        readFileSync(join(dir, 'build.pid'));
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const buildPid = Number(readFileSync(join(dir, 'build.pid'), 'utf8'));
    expect(isAlive(buildPid)).toBe(true);
    writeFileSync(join(dir, 'src/index.js'), version('v2'));
    await run.waitFor(/Reloaded "greeter-built"/);
    expect(readFileSync(join(dir, 'dist/index.js'), 'utf8')).toContain('v2');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    // Nothing left running: the build npm started is gone with it.
    const end = Date.now() + 5000;
    while (isAlive(buildPid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(buildPid)).toBe(false);
  }, 60_000);

  it('refuses --isolation in-process (exit 2) and a missing plugin', async () => {
    const dir = project.addPlugin('greeter-dev2', { files: { 'index.js': version('v1') } }, 'greeter-dev2');
    const refused = await runCliBin(['dev', dir, '--isolation', 'in-process'], project.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Node cannot import changed code again');
    const none = await runCliBin(['dev'], project.dir);
    expect(none.code).toBe(2);
  }, 30_000);
});

describe('x-plugin call --stats', () => {
  it('prints the stats on stderr, or in the --json document', async () => {
    const dir = project.addPlugin('greeter-stats', { files: { 'index.js': version('v1') } }, 'greeter-stats');
    const plain = await runCliBin(
      ['call', dir, 'greet', 'World', '--stats', '--isolation', 'worker'],
      project.dir,
    );
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe('v1 World\n');
    const line = plain.stderr.split('\n').find((l) => l.startsWith('stats: '))!;
    expect(JSON.parse(line.slice(7))).toMatchObject({ calls: 1, errors: 0, inFlight: 0, restarts: 0 });
    const json = await runCliBin(['call', dir, 'greet', 'World', '--stats', '--json'], project.dir);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { result: string; stats: { calls: number; errors: number } };
    expect(doc.result).toBe('v1 World');
    expect(doc.stats).toMatchObject({ calls: 1, errors: 0 });
    // A failed call counts its code.
    const failed = await runCliBin(['call', dir, 'greet', 'boom', '--stats'], project.dir);
    expect(failed.code).toBe(1);
    const failedLine = failed.stderr.split('\n').find((l) => l.startsWith('stats: '))!;
    expect(JSON.parse(failedLine.slice(7))).toMatchObject({
      calls: 1,
      errors: 1,
      errorsByCode: { ERR_PLUGIN_CALL: 1 },
    });
  }, 30_000);
});
