import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { greeter } from '@x/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost, type Logger, type UnresponsiveReport } from '../src/index.js';
import { Project } from './fixtures.js';

// Issue 16, VS Code's unresponsive detection: a plugin whose event loop does not answer the
// liveness ping within unresponsiveTimeout is reported before any call times out, and again when
// it recovers; with profileOnHang a CPU profile of the hung worker is written, then it is ended.

const BLOCKING = `export const plugin = {
  greet(name) {
    if (name.startsWith('block ')) {
      const end = Date.now() + Number(name.slice(6));
      while (Date.now() < end) {}
      return 'unblocked';
    }
    if (name === 'forever') return spinForever();
    return \`Hello, \${name}!\`;
  },
  lang: () => 'English',
};
function spinForever() {
  let n = 0;
  for (;;) n = (n + 1) % 1000;
}
`;

const project = new Project();
project.addPlugin('greeter-blocking', { files: { 'index.js': BLOCKING } });
const profiles = mkdtempSync(join(tmpdir(), 'x-plugin-profiles-'));
afterAll(() => {
  project.remove();
  rmSync(profiles, { recursive: true, force: true });
});

type Line = { level: string; message: string; fields?: Readonly<Record<string, unknown>> };
const recorder = (): Logger & { lines: Line[] } => {
  const lines: Line[] = [];
  return { lines, log: (level, message, fields) => lines.push({ level, message, fields }) };
};

describe('unresponsive detection', () => {
  it.each(['worker', 'process'] as const)(
    'reports a %s plugin that blocks its event loop before the call times out, and its recovery',
    async (isolation) => {
      const logger = recorder();
      const host = createHost({ cwd: project.dir, logger });
      const reports: (UnresponsiveReport & { atMs: number })[] = [];
      const t0 = performance.now();
      try {
        const handle = await host.load('greeter-blocking', {
          contract: greeter,
          isolation,
          unresponsiveTimeout: 500,
          onUnresponsive: (r) => reports.push({ ...r, atMs: performance.now() - t0 }),
        });
        await new Promise((r) => setTimeout(r, 300)); // one ping answered: memory known
        expect(handle.stats().memory?.heapUsed).toBeGreaterThan(0);
        const call = handle.call('greet', ['block 2500'], { timeout: 10_000 });
        const started = performance.now() - t0;
        await new Promise((r) => setTimeout(r, 1600));
        expect(reports).toHaveLength(1);
        expect(reports[0]).toMatchObject({ plugin: 'greeter-blocking', unresponsive: true });
        expect(reports[0]!.silentMs).toBeGreaterThanOrEqual(500);
        // Reported within a second and a half of the block: long before the call's 10 s timeout.
        expect(reports[0]!.atMs - started).toBeLessThan(1600);
        expect(handle.stats().unresponsive).toBe(true);
        expect(await call).toBe('unblocked');
        await new Promise((r) => setTimeout(r, 100));
        expect(reports.map((r) => r.unresponsive)).toEqual([true, false]);
        expect(handle.stats().unresponsive).toBe(false);
        const coded = logger.lines.filter((l) => l.fields?.code === 'ERR_PLUGIN_UNRESPONSIVE');
        expect(coded.map((l) => l.level)).toEqual(['warn', 'info']);
        expect(coded[0]!.message).toMatch(
          /is unresponsive: its event loop has not answered a liveness ping for \d+ ms/,
        );
        // Not ended: it answers on.
        expect(await handle.plugin.greet('World')).toBe('Hello, World!');
        expect(handle.stats()).toMatchObject({ restarts: 0, lastCrash: undefined });
      } finally {
        await host.close();
      }
    },
    30_000,
  );

  it.each(['worker', 'process'] as const)(
    'profileOnHang: writes a valid .cpuprofile of the hung %s, logs its path, then ends and restarts it',
    async (isolation) => {
      const logger = recorder();
      const host = createHost({ cwd: project.dir, logger });
      const reports: UnresponsiveReport[] = [];
      const agentDirs = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('x-plugin-prof-')));
      const before = agentDirs();
      try {
        const handle = await host.load('greeter-blocking', {
          contract: greeter,
          isolation,
          unresponsiveTimeout: 500,
          profileOnHang: { dir: profiles, durationMs: 300 },
          onUnresponsive: (r) => reports.push(r),
        });
        const call = handle.call('greet', ['forever']);
        await expect(call).rejects.toMatchObject({ code: 'ERR_PLUGIN_CRASHED' });
        const profiled = reports.find((r) => r.profile !== undefined);
        expect(profiled?.profile).toMatch(/greeter-blocking-.*\.cpuprofile$/);
        const path = profiled!.profile!;
        expect(path.startsWith(profiles)).toBe(true);
        expect(existsSync(path)).toBe(true);
        const profile = JSON.parse(readFileSync(path, 'utf8')) as {
          nodes: { callFrame: { functionName: string; url: string } }[];
          startTime: number;
          endTime: number;
          samples: number[];
        };
        expect(profile.nodes.length).toBeGreaterThan(0);
        expect(profile.endTime).toBeGreaterThan(profile.startTime);
        expect(profile.samples.length).toBeGreaterThan(10);
        // It shows where it hangs: the plugin's own loop.
        expect(profile.nodes.some((n) => n.callFrame.url.endsWith('greeter-blocking/index.js'))).toBe(true);
        const logged = logger.lines.find((l) => l.fields?.profile === path);
        expect(logged).toMatchObject({ level: 'warn', fields: { code: 'ERR_PLUGIN_UNRESPONSIVE' } });
        expect(logged!.message).toContain(path);
        // Ended as hung, restarted under the policy: it answers again.
        expect(await handle.plugin.greet('again')).toBe('Hello, again!');
        expect(handle.stats()).toMatchObject({ restarts: 1, lastCrash: { code: 'ERR_PLUGIN_CRASHED' } });
        expect(handle.stats().lastCrash?.message).toContain('hung');
      } finally {
        await host.close();
      }
      // A process's agent socket and its private folder go with the process.
      await new Promise((r) => setTimeout(r, 100));
      expect([...agentDirs()].filter((d) => !before.has(d))).toEqual([]);
    },
    30_000,
  );

  it('checks its options', async () => {
    const host = createHost({ cwd: project.dir, logger: recorder() });
    try {
      for (const [option, value] of [
        ['unresponsiveTimeout', -1],
        ['unresponsiveTimeout', true],
        ['onUnresponsive', 'log'],
        ['profileOnHang', 'yes'],
        ['profileOnHang', { dir: '' }],
        ['profileOnHang', { durationMs: 0 }],
        ['profileOnHang', { depth: 3 }],
      ] as const) {
        await expect(host.load('greeter-blocking', { [option]: value } as never)).rejects.toMatchObject({
          code: 'ERR_PLUGIN_OPTIONS',
          details: { option },
        });
      }
      await expect(
        host.load('greeter-blocking', { unresponsiveTimeout: false, profileOnHang: true }),
      ).rejects.toMatchObject({ code: 'ERR_PLUGIN_OPTIONS', details: { option: 'profileOnHang' } });
      // What a runtime cannot honour is refused, naming it.
      await expect(
        host.load('greeter-blocking', { isolation: 'process', permissions: 'none', profileOnHang: true }),
      ).rejects.toMatchObject({ code: 'ERR_PLUGIN_LOAD', details: { option: 'profileOnHang' } });
      await expect(
        host.load('greeter-blocking', { isolation: 'in-process', unresponsiveTimeout: 1000 }),
      ).rejects.toMatchObject({ code: 'ERR_PLUGIN_LOAD', details: { option: 'unresponsiveTimeout' } });
      // false asks for nothing, so it is no refusal.
      const h = await host.load('greeter-blocking', { isolation: 'in-process', unresponsiveTimeout: false });
      await h.close();
    } finally {
      await host.close();
    }
  });
});
