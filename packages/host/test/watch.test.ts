import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeter } from '@x/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type Logger } from '../src/index.js';
import { Project } from './fixtures.js';

// Issue 16, watch mode: a watched isolated plugin is swapped for a fresh instance on each edit,
// without dropping the handle and without failing a call of a loop that runs against it.

const version = (v: string) => `export const plugin = {
  greet: (name) =>
    name === 'slow' ? new Promise((r) => setTimeout(() => r('${v} slow'), 1500)) : \`${v} \${name}\`,
  lang: () => '${v}',
};
`;

type Line = { level: string; message: string; fields?: Readonly<Record<string, unknown>> };
const recorder = (): Logger & { lines: Line[] } => {
  const lines: Line[] = [];
  return { lines, log: (level, message, fields) => lines.push({ level, message, fields }) };
};

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const projects: Project[] = [];
afterEach(() => {
  for (const p of projects.splice(0)) p.remove();
});

function devPlugin(
  files: Record<string, string>,
  packageJson: Record<string, unknown> = {},
): { project: Project; dir: string } {
  const project = new Project();
  projects.push(project);
  // Under development: a folder of its own, not inside node_modules.
  const dir = project.addPlugin('greeter-dev', { files, packageJson }, 'greeter-dev');
  return { project, dir };
}

/** Fs watchers of this process, as Node lists its active resources. */
const watchers = () => process.getActiveResourcesInfo().filter((r) => /FSEvent|StatWatcher/.test(r)).length;

describe('watch mode', () => {
  it.each(['worker', 'process'] as const)(
    'a %s plugin edited three times answers with each version while a call loop runs, without one error; a broken edit keeps the last',
    async (isolation) => {
      const { dir } = devPlugin({ 'index.js': version('v1') });
      const logger = recorder();
      const host = createHost({ logger });
      const before = watchers();
      const handle = await host.load(dir, { contract: greeter, isolation, watch: true });
      expect(watchers()).toBeGreaterThan(before);
      let latest = '';
      let calls = 0;
      const errors: unknown[] = [];
      let stop = false;
      const loop = (async () => {
        while (!stop) {
          try {
            latest = await handle.plugin.lang();
            calls++;
          } catch (error) {
            errors.push(error);
          }
        }
      })();
      try {
        await until('v1', () => latest === 'v1');
        for (const v of ['v2', 'v3', 'v4']) {
          writeFileSync(join(dir, 'index.js'), version(v));
          await until(v, () => latest === v);
        }
        expect(handle.stats().reloads).toBe(3);
        writeFileSync(join(dir, 'index.js'), 'export const plugin = {\n  greet: (name) =>\n');
        await until('the reload error', () =>
          logger.lines.some((l) => l.fields?.code === 'ERR_PLUGIN_RELOAD'),
        );
        const logged = logger.lines.find((l) => l.fields?.code === 'ERR_PLUGIN_RELOAD')!;
        expect(logged.level).toBe('error');
        expect(logged.message).toContain('keeps the instance that ran before');
        const answered = calls;
        await until('more calls', () => calls > answered + 10);
        expect(latest).toBe('v4');
        expect(await handle.plugin.greet('World')).toBe('v4 World');
        expect(handle.stats().reloads).toBe(3);
      } finally {
        stop = true;
        await loop;
      }
      expect(errors).toEqual([]);
      const stats = handle.stats();
      expect(stats).toMatchObject({ calls: calls + 1, errors: 0, restarts: 0 });
      await host.close();
      // Nothing of watch mode is left running: no fs watcher, and an edit after close does nothing.
      // libuv removes a closed watcher's handle on a later turn of the loop, not within close().
      await expect.poll(watchers, { timeout: 5_000 }).toBe(before);
      const lines = logger.lines.length;
      writeFileSync(join(dir, 'index.js'), version('v5'));
      await new Promise((r) => setTimeout(r, 400));
      expect(logger.lines.slice(lines).filter((l) => l.message.includes('Reload'))).toEqual([]);
    },
    60_000,
  );

  it('a call in flight during a reload finishes on the old instance, while new calls go to the new one', async () => {
    const { dir } = devPlugin({ 'index.js': version('v1') });
    const logger = recorder();
    const host = createHost({ logger });
    try {
      const handle = await host.load(dir, { contract: greeter, isolation: 'worker', watch: true });
      const oldThread = handle.threadId;
      const slow = handle.plugin.greet('slow');
      writeFileSync(join(dir, 'index.js'), version('v2'));
      const end = Date.now() + 15_000;
      while ((await handle.plugin.lang()) !== 'v2') {
        if (Date.now() > end) throw new Error('never reloaded');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(handle.threadId).not.toBe(oldThread);
      // The slow call is still held, by the old instance.
      expect(handle.stats().inFlight).toBe(1);
      // Answered by the instance it was sent to.
      expect(await slow).toBe('v1 slow');
      expect(handle.stats()).toMatchObject({ errors: 0, reloads: 1 });
    } finally {
      await host.close();
    }
  });

  it('an edit that breaks compatibility keeps the old instance, re-checked like a first load', async () => {
    const { dir } = devPlugin({ 'index.js': version('v1') });
    const logger = recorder();
    const host = createHost({ logger });
    try {
      const handle = await host.load(dir, { contract: greeter, isolation: 'worker', watch: true });
      const pkg = JSON.parse(
        (await import('node:fs')).readFileSync(join(dir, 'package.json'), 'utf8'),
      ) as Record<string, unknown>;
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ ...pkg, peerDependencies: { '@x/contract': '^99.0.0' } }),
      );
      await until('the reload error', () => logger.lines.some((l) => l.fields?.code === 'ERR_PLUGIN_RELOAD'));
      const logged = logger.lines.find((l) => l.fields?.code === 'ERR_PLUGIN_RELOAD')!;
      expect(logged.message).toContain('^99.0.0');
      expect(await handle.plugin.lang()).toBe('v1');
    } finally {
      await host.close();
    }
  });

  it('is refused for an in-process plugin, which Node cannot import again', async () => {
    const { dir } = devPlugin({ 'index.js': version('v1') });
    const host = createHost({ logger: recorder() });
    try {
      await expect(host.load(dir, { isolation: 'in-process', watch: true })).rejects.toMatchObject({
        code: 'ERR_PLUGIN_LOAD',
        details: { option: 'watch' },
      });
    } finally {
      await host.close();
    }
  });

  it('a second in-process load of changed code warns with ERR_PLUGIN_STALE', async () => {
    const { dir } = devPlugin({ 'index.js': version('v1') });
    const logger = recorder();
    const host = createHost({ logger });
    try {
      const first = await host.load(dir, { contract: greeter, isolation: 'in-process' });
      expect(await first.plugin.lang()).toBe('v1');
      await first.close();
      await new Promise((r) => setTimeout(r, 20));
      writeFileSync(join(dir, 'index.js'), version('v2'));
      const second = await host.load(dir, { contract: greeter, isolation: 'in-process' });
      // The old code, as Node gives it: the warning says so.
      expect(await second.plugin.lang()).toBe('v1');
      const warning = logger.lines.find((l) => l.fields?.code === 'ERR_PLUGIN_STALE');
      expect(warning?.level).toBe('warn');
      expect(warning?.message).toContain('gets its old code');
    } finally {
      await host.close();
    }
  });

  it('refuses a watch option that is not a boolean', async () => {
    const host = createHost({ logger: recorder() });
    await expect(host.load('x', { watch: 'yes' as never })).rejects.toMatchObject({
      code: 'ERR_PLUGIN_OPTIONS',
      details: { option: 'watch' },
    });
  });
});
