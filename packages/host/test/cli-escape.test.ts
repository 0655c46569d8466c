import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasControl } from '../src/escape-control.js';
import { runCliBin as run } from './cli-run.js';
import { Project } from './fixtures.js';

// A hostile plugin: its name, its printed output, its answer and its error message all carry
// what a terminal would obey (SGR colour, erase line, carriage return, OSC window title with BEL,
// C1 CSI, bidi override) and a newline that would forge an error line of its own.
const NAME = 'evil\x1b[31m\u202eplugin\r';
const SHOWN = 'evil\\x1b[31m\\u202eplugin\\r';

let project: Project;
beforeAll(() => {
  project = new Project();
  project.link('@x/contract');
  project.addPlugin(
    NAME,
    {
      packageJson: { xPlugin: { contract: 'greeter', isolation: 'worker' } },
      files: {
        'index.js': `console.log('out\\x1b]0;pwned\\x07 \\x9b2J\\nERR_FAKE: forged');
export const plugin = {
  greet: (n) => 'Hi\\x1b[2K\\rforged\\u202e ' + n + '\\nsecond\\tline',
  lang: () => { throw new Error('bad\\x1b[31m\\r\\nERR_FAKE: forged'); },
};`,
      },
    },
    'plugins/evil',
  );
});
afterAll(() => project.remove());

describe('x-plugin escapes what a plugin controls before it reaches the terminal', () => {
  it('call: the answer keeps its lines and tabs, every other control is shown escaped', async () => {
    const result = await run(['call', './plugins/evil', 'greet', 'W'], project.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Hi\\x1b[2K\\rforged\\u202e W\nsecond\tline\n');
    // The plugin's own output goes through the stderr logger: tag and line, one line each.
    expect(result.stderr).toContain(`[${SHOWN}] out\\x1b]0;pwned\\x07 \\x9b2J\n`);
    expect(result.stderr).toContain(`[${SHOWN}] ERR_FAKE: forged\n`);
    expect(hasControl(result.stderr.replaceAll('\n', ''))).toBe(false);
  });

  it('call --json: the exact value, with every control character as \\uXXXX', async () => {
    const result = await run(['call', './plugins/evil', 'greet', 'W', '--json'], project.dir);
    expect(hasControl(result.stdout.trimEnd())).toBe(false);
    expect(JSON.parse(result.stdout)).toEqual({
      plugin: NAME,
      version: '1.0.0',
      method: 'greet',
      result: 'Hi\x1b[2K\rforged\u202e W\nsecond\tline',
    });
  });

  it('a plugin error stays on one line, so it cannot forge another', async () => {
    const result = await run(['call', './plugins/evil', 'lang'], project.dir);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((l) => !l.startsWith('['));
    expect(lines[0]).toMatch(/^ERR_PLUGIN_CALL: Plugin "evil\\x1b\[31m\\u202eplugin\\r" threw from lang\(\)/);
    expect(lines[0]).toContain('bad\\x1b[31m\\r\\nERR_FAKE: forged');
    expect(lines.filter((l) => l.startsWith('ERR_'))).toHaveLength(1);
  });

  it('list and doctor: names escaped, columns still line up', async () => {
    const list = await run(['list', '--dir', 'plugins'], project.dir);
    expect(list.code).toBe(0);
    const [header, row] = list.stdout.split('\n');
    expect(row).toMatch(/^evil\\x1b\[31m\\u202eplugin\\r {2}1\.0\.0 {4}greeter {3}worker {5}compatible$/);
    expect(header!.indexOf('VERSION')).toBe(row!.indexOf('1.0.0'));
    const doctor = await run(['doctor', './plugins/evil'], project.dir);
    expect(doctor.stdout).toContain(`ok   ${SHOWN}@1.0.0 (greeter)\n`);
    expect(hasControl(`${list.stdout}${doctor.stdout}${doctor.stderr}`.replaceAll('\n', ''))).toBe(false);
  });
});
