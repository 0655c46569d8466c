import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFlags } from './args.js';
import { runGenerator } from './plop.js';
import { resolveAnswers } from './prompts.js';

// Real @clack/prompts prompts, driven by key presses on a stream instead of a terminal.
function keyboard() {
  const input = new PassThrough() as PassThrough & { isTTY: boolean };
  input.isTTY = false;
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk) => {
    screen += chunk;
  });
  /** Presses each key once the screen shows `prompt`, so no key lands before its prompt listens. */
  const press = async (prompt: string, keys: string) => {
    for (let i = 0; i < 200 && !screen.includes(prompt); i++) await new Promise((r) => setTimeout(r, 10));
    input.write(keys);
  };
  return { input, output, press, screen: () => screen };
}

const dirs: string[] = [];
const tempDir = () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cgp-prompts-')));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('resolveAnswers', () => {
  it('takes every answer from the flags, asking nothing', async () => {
    const cwd = tempDir();
    const flags = parseFlags([
      'p',
      '--name',
      '@me/p',
      '--kind',
      'transformer',
      '--isolation',
      'worker',
      '--pm',
      'pnpm',
    ]);
    await expect(resolveAnswers(flags, { interactive: true, cwd })).resolves.toEqual({
      dir: join(cwd, 'p'),
      name: '@me/p',
      kind: 'transformer',
      isolation: 'worker',
      pm: 'pnpm',
    });
  });

  it('asks for what the flags leave out, and takes the answers', async () => {
    const cwd = tempDir();
    const keys = keyboard();
    const answers = resolveAnswers(parseFlags(['--pm', 'npm']), { interactive: true, cwd, ...keys });
    await keys.press('Which contract', '\x1b[B\r'); // down: transformer
    await keys.press('Folder to create', 'upper\r');
    await keys.press('Package name', '\r');
    await keys.press('Where should the plugin', '\x1b[B\x1b[B\r'); // process
    await expect(answers).resolves.toEqual({
      dir: join(cwd, 'upper'),
      name: 'upper',
      kind: 'transformer',
      isolation: 'process',
      pm: 'npm',
    });
  });

  it('turns Ctrl-C at a prompt into ERR_CREATE_CANCELLED', async () => {
    const keys = keyboard();
    const answers = resolveAnswers(parseFlags([]), { interactive: true, cwd: tempDir(), ...keys });
    await keys.press('Which contract', '\x03');
    await expect(answers).rejects.toMatchObject({ code: 'ERR_CREATE_CANCELLED', what: 'Cancelled.' });
  });
});

describe('runGenerator', () => {
  it('writes nothing at all when Ctrl-C hits the last prompt', async () => {
    const cwd = tempDir();
    const keys = keyboard();
    const run = runGenerator(parseFlags(['half', '--kind', 'greeter', '--isolation', 'worker']), {
      interactive: true,
      cwd,
      ...keys,
    });
    await keys.press('Package name', '\r');
    await keys.press('Package manager', '\x03');
    await expect(run).rejects.toMatchObject({ code: 'ERR_CREATE_CANCELLED' });
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(join(cwd, 'half'))).toBe(false);
  });
});
