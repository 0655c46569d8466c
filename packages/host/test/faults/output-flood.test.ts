import { greeter } from '@x/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlugin } from '../../src/index.js';
import { MAX_OUTPUT_LINE } from '../../src/runtimes/x-protocol/channel.js';
import { Project } from '../fixtures.js';
import { collectingLogger, MODES, printedPids, waitFor, warmUp } from '../isolation-helpers.js';
import { baseline } from './evil.js';

// A plugin that prints megabytes without a newline, on stdout and stderr. The host forwards output
// line by line; before the cap, a line never ended grew its memory for as long as the plugin
// printed (400 MB printed: +300 MB of host RSS, measured). Now a line past MAX_OUTPUT_LINE is
// dropped and reported, the lines after it are forwarded, and the plugin still answers.

const FLOOD = `console.log('pid=' + process.pid);
const chunk = 'x'.repeat(64 * 1024);
export const plugin = {
  async greet(n) {
    for (let i = 0; i < 64; i++) {
      process.stdout.write(chunk);
      process.stderr.write(chunk);
      await new Promise((r) => setImmediate(r));
    }
    // The newline ends the flooded line (dropped); the next line is forwarded.
    process.stdout.write('\\nafter the flood\\n');
    process.stderr.write('\\nafter the flood\\n');
    return 'Hi ' + n;
  },
  lang: () => 'x',
};`;

beforeAll(warmUp);

describe.each(MODES)('%s isolation', (isolation) => {
  it('a line longer than MAX_OUTPUT_LINE is dropped and reported; output and calls go on', async () => {
    const project = new Project();
    project.addPlugin('flood', { files: { 'index.js': FLOOD } });
    const log = collectingLogger();
    const before = baseline();
    const handle = await loadPlugin('flood', {
      cwd: project.dir,
      isolation,
      contract: greeter,
      logger: log.logger,
    });
    try {
      expect(await handle.plugin.greet('Go')).toBe('Hi Go');
      for (const stream of ['stdout', 'stderr']) {
        await waitFor(() =>
          log.lines.some((l) => l.fields.stream === stream && l.message.endsWith('after the flood')),
        );
        const lines = log.lines.filter((l) => l.fields.stream === stream).map((l) => l.message);
        expect(lines).toContain(`(dropped a line longer than ${MAX_OUTPUT_LINE} characters)`);
      }
      expect(log.lines.every((l) => l.message.length <= MAX_OUTPUT_LINE)).toBe(true);
      expect(await handle.plugin.greet('again')).toBe('Hi again');
    } finally {
      await handle.close();
      await before.check(printedPids(log.lines));
      project.remove();
    }
  }, 60_000);
});
