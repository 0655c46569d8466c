import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Project } from '../fixtures.js';
import { addGoGreeter, buildGoGreeter, whyNoGo } from '../go-plugin-fixtures.js';
import { isAlive, waitFor } from '../isolation-helpers.js';

// Nothing a plugin started outlives its host, however the host ends: close(), a normal exit
// without close(), SIGTERM, SIGINT, SIGKILL. A real host script (the built @x/host) loads a
// process plugin that spawns two grandchildren: one in its process group and one detached (its own
// session, out of the plugin's group, which no group kill reaches). On 1.0.0 the detached one
// survived every ending, and after SIGKILL (and SIGTERM/SIGINT) the in-group one did too; only the
// plugin itself exited, because it notices its fd 3 closing. Now the reaper (src/core/reaper.ts)
// and close()'s tag scan end them all.

const DIST = join(import.meta.dirname, '../../dist/index.js');

const SPAWNER = `import { spawn } from 'node:child_process';
const sleeper = ['-e', 'setInterval(() => {}, 1000)'];
export const plugin = {
  greet() {
    const inGroup = spawn(process.execPath, sleeper, { stdio: 'ignore' });
    const detached = spawn(process.execPath, sleeper, { stdio: 'ignore', detached: true });
    detached.unref();
    return JSON.stringify({ plugin: process.pid, inGroup: inGroup.pid, detached: detached.pid });
  },
  lang: () => 'x',
};
`;

/** The host: loads the plugin, prints every pid, then ends as argv[2] says. */
const HOST = `import { loadPlugin } from ${JSON.stringify(DIST)};
import { readFileSync } from 'node:fs';
// The reaper is the host's child whose command line names it.
const reaperPid = () =>
  readFileSync(\`/proc/self/task/\${process.pid}/children\`, 'utf8').split(' ').filter(Boolean).map(Number)
    .find((pid) => readFileSync(\`/proc/\${pid}/cmdline\`, 'utf8').includes('x-plugin-reaper'));
const how = process.argv[2];
const handle = await loadPlugin('spawner', { cwd: process.cwd(), isolation: 'process' });
const pids = JSON.parse(await handle.plugin.greet('x'));
console.log(JSON.stringify({ ...pids, reaper: reaperPid() }));
if (how === 'close') {
  await handle.close();
  console.log('closed');
  setInterval(() => {}, 1000);
} else if (how === 'exit') {
  // The end of the script, no close(): the idle plugin does not hold the host.
} else {
  setInterval(() => {}, 1000); // wait for the test's signal
}
`;

let project: Project;
let host: ChildProcess | undefined;

beforeEach(() => {
  expect(existsSync(DIST), 'run `pnpm build` first').toBe(true);
  project = new Project();
  project.addPlugin('spawner', { files: { 'index.js': SPAWNER } });
  writeFileSync(join(project.dir, 'host.mjs'), HOST);
});

afterEach(() => {
  if (host?.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
  project.remove();
});

/** Starts the host script; answers the pids it printed, and its next lines. */
async function startHost(how: string) {
  host = spawn(process.execPath, ['host.mjs', how], {
    cwd: project.dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const child = host;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  expect(first.done, 'the host printed nothing').toBe(false);
  const pids = JSON.parse(first.value as string) as Record<string, number>;
  return { child, exited, pids, next: () => lines.next() };
}

async function expectAllGone(pids: Record<string, number>): Promise<void> {
  const all = Object.entries(pids);
  await waitFor(() => all.every(([, pid]) => !isAlive(pid)), 10_000).catch(() => {});
  expect(
    all.filter(([, pid]) => isAlive(pid)).map(([name]) => name),
    'still running',
  ).toEqual([]);
}

describe('nothing a process plugin started outlives its host', () => {
  it.each(['SIGKILL', 'SIGTERM', 'SIGINT'] as const)(
    'host killed by %s: plugin, grandchild, detached grandchild and reaper are gone',
    async (signal) => {
      const { child, exited, pids } = await startHost('wait');
      expect(Object.values(pids).every(isAlive)).toBe(true);
      child.kill(signal);
      await exited;
      await expectAllGone(pids);
    },
    30_000,
  );

  it('host ends its script without close(): everything is gone, and the host exits by itself', async () => {
    const { exited, pids } = await startHost('exit');
    await exited;
    await expectAllGone(pids);
  }, 30_000);

  it('close(): the plugin and both grandchildren are gone while the host runs on', async () => {
    const { child, pids, next } = await startHost('close');
    expect((await next()).value).toBe('closed');
    const { reaper, ...plugin } = pids;
    await expectAllGone(plugin);
    // The reaper stays for the plugins to come, until the host ends.
    expect(isAlive(reaper!)).toBe(true);
    child.kill('SIGKILL');
    await expectAllGone({ reaper: reaper! });
  }, 30_000);
});

/** A host with a go-plugin binary loaded: it prints the binary's pid and socket, then waits. */
const GO_HOST = `import { loadPlugin } from ${JSON.stringify(DIST)};
import { greeter } from '@x/contract';
const lines = [];
const logger = { log: (level, message, fields = {}) => lines.push({ message, fields }) };
const handle = await loadPlugin(process.argv[2], { contract: greeter, logger });
await handle.plugin.greet('x');
const pid = lines.find((l) => l.message === 'go-greeter starting')?.fields.pid;
const socket = lines.find((l) => l.message === 'plugin address')?.fields.address;
console.log(JSON.stringify({ pid, socket }));
setInterval(() => {}, 1000);
`;

const noGo = whyNoGo();
describe.skipIf(noGo !== undefined)(`a go-plugin binary${noGo ? ` (skipped: ${noGo})` : ''}`, () => {
  it('host killed by SIGKILL: the binary, its socket and its temporary folder are gone', async () => {
    const binary = join(project.dir, 'bin', 'go-greeter');
    buildGoGreeter(binary);
    project.link('@x/contract');
    const dir = addGoGreeter(project, 'go', binary);
    writeFileSync(join(project.dir, 'go-host.mjs'), GO_HOST);
    host = spawn(process.execPath, ['go-host.mjs', dir], {
      cwd: project.dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const child = host;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
    const { pid, socket } = JSON.parse(first.value as string) as { pid: number; socket: string };
    expect(isAlive(pid)).toBe(true);
    expect(existsSync(socket)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    await expectAllGone({ goPlugin: pid });
    await waitFor(() => !existsSync(dirname(socket)), 10_000).catch(() => {});
    expect(existsSync(dirname(socket)), 'the go-plugin temporary folder').toBe(false);
  }, 600_000);
});
