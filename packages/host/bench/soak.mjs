// The soak (`pnpm soak`): 100,000 calls across isolated plugins (two in worker threads, two in child
// processes) with crashes injected at random, from inside (the plugin calls process.exit, or throws
// outside any call) and from outside (SIGKILL of a plugin process). It checks that every failed
// call was failed by a crash that happened while it was in flight (ERR_PLUGIN_CRASHED; anything
// else is a bug), reports a table (calls, failures, restarts, the host's memory at start and end,
// duration), and checks that nothing is left once the plugins are closed. Imports the built dist.
// Env: SOAK_CALLS (default 100000), SOAK_SEED (default: random; printed, to replay a run).
// Memory is measured after a gc (run with --expose-gc, as `pnpm soak` does); worker plugins live in
// this process, so its RSS includes their heaps.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlugin, PluginError } from '../dist/index.js';

const TOTAL = Number(process.env.SOAK_CALLS ?? 100_000);
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const IN_FLIGHT = 50; // concurrent callers per plugin
const P_CRASH = 1 / 2000; // a call that makes the plugin exit
const P_THROW = 1 / 4000; // a call that makes the plugin throw outside any call, later
const P_KILL = 1 / 2000; // SIGKILL of a process plugin from outside, before a call
const DEADLINE_MS = 5 * 60_000;
// The default policy stops a plugin at its third crash in 5 minutes; the soak crashes each dozens
// of times on purpose, so it allows far more (and reports it).
const RESTART = { maxCrashes: 10_000, windowMs: 5 * 60_000 };
const PLUGINS = ['worker', 'worker', 'process', 'process'];

const PLUGIN = `console.log('pid=' + process.pid);
export const plugin = {
  greet(name) {
    if (name === 'crash') process.exit(13);
    if (name === 'throw') setTimeout(() => { throw new Error('thrown outside a call'); }, 1);
    return 'Hi ' + name;
  },
  lang: () => 'soak',
};`;

/** mulberry32: a seeded generator, so that a run can be replayed (SOAK_SEED). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code !== 'ESRCH';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};
const childHandles = () =>
  process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap' || r === 'PipeWrap').length;
const memory = () => {
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'x-plugin-soak-'));
  const pluginDir = join(dir, 'node_modules', 'soak-plugin');
  mkdirSync(pluginDir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'soak-app', private: true }));
  writeFileSync(
    join(pluginDir, 'package.json'),
    JSON.stringify({
      name: 'soak-plugin',
      version: '1.0.0',
      type: 'module',
      exports: './index.js',
      keywords: ['x-plugin'],
      xPlugin: { contract: 'greeter' },
      peerDependencies: { '@x/contract': '^1.0.0' },
    }),
  );
  writeFileSync(join(pluginDir, 'index.js'), PLUGIN);

  const rand = random(SEED);
  // stdout and stderr are pipes themselves when piped (| tee): opened now, they count in the baseline.
  process.stdout.write('');
  process.stderr.write('');
  const baseline = childHandles();
  const pids = new Set();
  const bugs = [];
  const stats = { made: 0, answered: 0, failed: 0, crashHit: 0, injected: 0, kills: 0, crashes: 0 };
  const started = performance.now();
  const deadline = Date.now() + DEADLINE_MS;
  const plugins = [];
  try {
    for (const isolation of PLUGINS) {
      const plugin = { isolation, crashes: 0, handle: undefined };
      plugin.handle = await loadPlugin('soak-plugin', {
        cwd: dir,
        isolation,
        restart: RESTART,
        logger: {
          log: (_level, message) => {
            const pid = /^pid=(\d+)$/.exec(message)?.[1];
            if (pid !== undefined && Number(pid) !== process.pid) pids.add(Number(pid));
          },
        },
        onCrash: () => {
          plugin.crashes++;
          stats.crashes++;
        },
      });
      plugins.push(plugin);
    }
    const start = memory();

    async function caller(plugin) {
      while (stats.made < TOTAL) {
        if (Date.now() > deadline) throw new Error(`the soak ran past ${DEADLINE_MS / 1000} s`);
        stats.made++;
        const roll = rand();
        let name = `n${stats.made}`;
        if (roll < P_CRASH) name = 'crash';
        else if (roll < P_CRASH + P_THROW) name = 'throw';
        if (name === 'crash' || name === 'throw') stats.injected++;
        else if (roll < P_CRASH + P_THROW + P_KILL && plugin.isolation === 'process') {
          const pid = plugin.handle.pid;
          if (pid !== undefined) {
            process.kill(pid, 'SIGKILL');
            stats.kills++;
          }
        }
        const epoch = plugin.crashes;
        try {
          const answer = await plugin.handle.plugin.greet(name);
          if (answer !== `Hi ${name}`) bugs.push(`wrong answer ${answer} to ${name}`);
          stats.answered++;
        } catch (error) {
          stats.failed++;
          // A failure is legitimate only if it is a crash report and a crash happened while the
          // call was in flight; anything else (another code, a non-PluginError) is a bug.
          const crashHit =
            PluginError.isInstance(error) && error.code === 'ERR_PLUGIN_CRASHED' && plugin.crashes > epoch;
          if (crashHit) stats.crashHit++;
          else if (bugs.length < 20) bugs.push(`${name}: ${error?.code ?? ''} ${error?.message ?? error}`);
        }
      }
    }
    await Promise.all(plugins.flatMap((p) => Array.from({ length: IN_FLIGHT }, () => caller(p))));
    const durationMs = performance.now() - started;
    // A crash injected by one of the last calls may still be restarting: wait for it, then every
    // plugin must answer one more call.
    for (const p of plugins) {
      while (p.handle.state === 'restarting' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const last = await p.handle.plugin.greet('last').catch((error) => error?.message ?? String(error));
      if (last !== 'Hi last') bugs.push(`a ${p.isolation} plugin did not answer after the soak: ${last}`);
    }
    const end = memory();
    const restarts = plugins.reduce((n, p) => n + p.handle.restarts, 0);
    const states = plugins.map((p) => p.handle.state);
    for (const p of plugins) await p.handle.close();

    // Nothing left: every plugin process ever started is gone, and so are their handles.
    const leftBy = Date.now() + 20_000;
    while ((childHandles() > baseline || [...pids].some(isAlive)) && Date.now() < leftBy) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const leftPids = [...pids].filter(isAlive);
    const closed = memory();
    const leftHandles = childHandles() - baseline;

    const table = [
      ['calls made', stats.made],
      ['calls answered', stats.answered],
      ['calls failed', stats.failed],
      ['  of which ERR_PLUGIN_CRASHED, hit by a crash in flight', stats.crashHit],
      ['  of which anything else (bugs)', stats.failed - stats.crashHit],
      ['crashes injected (exit / throw in the plugin; SIGKILL)', `${stats.injected}; ${stats.kills}`],
      ['crashes seen by the host (onCrash)', stats.crashes],
      ['restarts', restarts],
      ['plugins (isolation)', PLUGINS.join(', ')],
      ['restart policy', `${RESTART.maxCrashes} crashes in ${RESTART.windowMs / 1000} s`],
      ['host RSS start → end', `${mb(start.rss)} → ${mb(end.rss)}`],
      ['host heapUsed start → end', `${mb(start.heapUsed)} → ${mb(end.heapUsed)}`],
      ['host RSS, heapUsed after close', `${mb(closed.rss)}, ${mb(closed.heapUsed)}`],
      ['duration', `${(durationMs / 1000).toFixed(1)} s`],
      ['plugin processes started / left alive', `${pids.size} / ${leftPids.length}`],
      ['child handles left', leftHandles],
      ['seed (SOAK_SEED)', SEED],
    ];
    console.log('\n| measure | value |\n| --- | --- |');
    for (const [k, v] of table) console.log(`| ${k} | ${v} |`);

    if (states.some((s) => s !== 'running')) bugs.push(`plugin states at the end: ${states.join(', ')}`);
    if (stats.answered + stats.failed !== stats.made) bugs.push('some calls never settled');
    if (restarts !== stats.crashes) bugs.push(`${stats.crashes} crashes but ${restarts} restarts`);
    if (leftPids.length > 0) bugs.push(`plugin processes left alive: ${leftPids.join(', ')}`);
    if (leftHandles > 0) bugs.push(`${leftHandles} child process handles left`);
    if (bugs.length > 0) {
      console.error(`\nSOAK FAILED:\n${bugs.join('\n')}`);
      process.exitCode = 1;
    } else {
      console.log('\nSoak passed: every failure was a crash hit, nothing was left behind.');
    }
  } finally {
    for (const p of plugins) await p.handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`SOAK FAILED: ${error?.stack ?? error}`);
  process.exit(1);
});
