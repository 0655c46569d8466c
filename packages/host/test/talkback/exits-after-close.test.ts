import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Project } from '../fixtures.js';
import { addKvPlugin, CONTRACT_DATA } from './talkback-fixture.js';

// A real host process, with an in-process plugin whose factory holds an interval timer: after
// host.close() the dispose hook clears it and the process ends by itself, as a Node program should.

let project: Project;
beforeEach(() => {
  project = new Project();
  addKvPlugin(project);
});
afterEach(() => project.remove());

const hostUrl = pathToFileURL(join(import.meta.dirname, '../../dist/index.js')).href;

function runHost(close: boolean) {
  const script = join(project.dir, 'host.mjs');
  project.write(
    'host.mjs',
    `import { createHost } from '${hostUrl}';
const kv = ${JSON.stringify(CONTRACT_DATA)};
const host = createHost({ cwd: ${JSON.stringify(project.dir)}, contracts: [kv], logger: { log() {} } });
const handle = await host.load('kv-plugin', { contract: kv, config: { a: 1 }, host: { disposed: (w) => console.log('disposed ' + w) } });
console.log(await handle.call('config', []));
${close ? 'await host.close();' : ''}
console.log('end of script');
`,
  );
  return spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: close ? 15_000 : 3_000 });
}

it('the host process exits by itself after host.close(), the plugin timer cleared by onDispose', () => {
  const run = runHost(true);
  expect(run.stderr).toBe('');
  expect(run.stdout).toBe('{"a":1}\ndisposed onDispose\ndisposed asyncDispose\nend of script\n');
  expect(run.status).toBe(0);
});

it('without close(), the same plugin keeps it alive (so the test above can fail)', () => {
  const run = runHost(false);
  expect(run.stdout).toContain('end of script');
  expect(run.signal).toBe('SIGTERM'); // killed by spawnSync's timeout
});
