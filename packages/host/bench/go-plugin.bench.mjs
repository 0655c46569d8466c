// The go-greeter example (a hashicorp/go-plugin gRPC binary) called through @x/host against
// go-plugin's own Go host calling the same binary (bench/go-client). The two clients are separate
// programs, so they cannot alternate call by call: they alternate short batches (200 calls each,
// the order flipped every batch), which still puts both in the same machine state within ~20 ms.
// Skipped, with a line saying why, when Go or the built example binary is missing.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { compareRounds, printTable } from '../../../scripts/bench/index.mjs';
import { loadPlugin, silentLogger } from '../dist/index.js';

const GREETER = join(import.meta.dirname, '../../../examples/go-greeter');
const GREETER_BIN = join(GREETER, 'bin/go-greeter');
const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
const BATCH = 200;
const BATCHES = 4; // per side per round

function whyNot() {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    return '`go` is not on PATH';
  }
  if (!existsSync('/usr/share/gocode/src/github.com/hashicorp/go-plugin'))
    return 'go-plugin sources are not installed';
  if (!existsSync(GREETER_BIN)) return `${GREETER_BIN} is not built (pnpm build)`;
  return undefined;
}

const why = whyNot();
if (why !== undefined) {
  console.log(`\ngo-plugin: @x/host vs go-plugin's Go client: skipped, ${why} (see .ci/install-go.sh)`);
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), 'x-bench-go-'));
try {
  const clientBin = join(scratch, 'go-client');
  execFileSync('sh', [join(import.meta.dirname, 'go-client/build.sh'), clientBin], { stdio: 'inherit' });
  // Both sides both ways: plain gRPC (@x/host with autoMTLS: false, go-plugin's default), and
  // mutual TLS (@x/host's default, go-plugin's AutoMTLS: true).
  const pairs = [];
  for (const tls of [false, true]) {
    const go = await startGoClient(clientBin, tls);
    const handle = await loadPlugin(GREETER, { logger: silentLogger, autoMTLS: tls });
    pairs.push({ tls, go, handle, ours: timed(handle), sampled: [], cpu: [] });
  }
  for (const { go, ours } of pairs) {
    await ours(BATCH * 2);
    await go.batch(BATCH * 2);
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const { go, ours, sampled, cpu } of pairs) {
      const a = [];
      const b = [];
      // CPU time per call on each client's side too: what each client costs, which (unlike wall
      // time) other work on a busy machine barely moves.
      const cpuOf = { a: 0, b: 0 };
      const oursTimed = async (n) => {
        const before = process.cpuUsage();
        const out = await ours(n);
        const used = process.cpuUsage(before);
        cpuOf.a += (used.user + used.system) / 1000;
        return out;
      };
      const goTimed = async (n) => {
        const before = go.cpuMs();
        const out = await go.batch(n);
        cpuOf.b += go.cpuMs() - before;
        return out;
      };
      for (let k = 0; k < BATCHES; k++) {
        if (k % 2 === 0) {
          a.push(...(await oursTimed(BATCH)));
          b.push(...(await goTimed(BATCH)));
        } else {
          b.push(...(await goTimed(BATCH)));
          a.push(...(await oursTimed(BATCH)));
        }
      }
      sampled.push({ a, b });
      cpu.push({ a: [cpuOf.a / (BATCH * BATCHES)], b: [cpuOf.b / (BATCH * BATCHES)] });
    }
  }
  for (const { go, handle } of pairs) {
    await handle.close();
    await go.close();
  }
  printTable(
    `go-plugin greeter: @x/host vs go-plugin's Go client on the same binary, alternating batches, ${ROUNDS} rounds`,
    pairs.flatMap(({ tls, sampled, cpu }) => [
      {
        name: `go-plugin greet() through @x/host, ${tls ? 'AutoMTLS' : 'plain gRPC'} (vs go-plugin Go client, same)`,
        unit: 'µs',
        show: (ms) => ms * 1000,
        cmp: compareRounds(sampled),
        target: { p50: 1.5 },
        // grpc-js against grpc-go: another client stack, not a floor.
        physical: false,
      },
      {
        name: `  client CPU per call, ${tls ? 'AutoMTLS' : 'plain gRPC'} (Node host vs Go client process)`,
        unit: 'µs',
        show: (ms) => ms * 1000,
        cmp: compareRounds(cpu),
        physical: false,
      },
    ]),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** n greet() calls through @x/host, one after another: their times (ms). */
function timed(handle) {
  return async (n) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await handle.call('greet', ['World']);
      out[i] = performance.now() - start;
    }
    return out;
  };
}

/** go-client, started on the example binary: `batch(n)` runs n calls there, returns their times (ms). */
async function startGoClient(bin, tls) {
  const child = spawn(bin, [GREETER_BIN], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, GO_CLIENT_AUTO_MTLS: tls ? '1' : '' },
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('go-client ended early (see its stderr above)');
    return value;
  };
  if ((await next()) !== 'ready') throw new Error('go-client did not start');
  // Its user + system CPU time so far (ms), from /proc (clock ticks of 10 ms, over 800 calls a round).
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  };
  return {
    cpuMs,
    async batch(n) {
      child.stdin.write(`${n}\n`);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(await next()) / 1e6;
      return out;
    },
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.stdin.end();
      }),
  };
}
