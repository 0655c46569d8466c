// The go-greeter example (a hashicorp/go-plugin gRPC binary) called through @x/host against
// go-plugin's own Go host calling the same binary (bench/go-client). The two clients are separate
// programs, so they cannot alternate call by call: they alternate short batches (200 calls each,
// the order flipped every batch), which still puts both in the same machine state within ~20 ms.
// Skipped, with a line saying why, when Go or the built example binary is missing.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
  const go = await startGoClient(clientBin);
  const handle = await loadPlugin(GREETER, { logger: silentLogger });
  const ours = async (n) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await handle.call('greet', ['World']);
      out[i] = performance.now() - start;
    }
    return out;
  };
  await ours(BATCH * 2);
  await go.batch(BATCH * 2);
  const sampled = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = [];
    const b = [];
    for (let k = 0; k < BATCHES; k++) {
      if (k % 2 === 0) {
        a.push(...(await ours(BATCH)));
        b.push(...(await go.batch(BATCH)));
      } else {
        b.push(...(await go.batch(BATCH)));
        a.push(...(await ours(BATCH)));
      }
    }
    sampled.push({ a, b });
  }
  await handle.close();
  await go.close();
  printTable(
    `go-plugin greeter: @x/host vs go-plugin's Go client on the same binary, alternating batches, ${ROUNDS} rounds`,
    [
      {
        name: 'go-plugin greet() through @x/host (vs go-plugin Go client)',
        unit: 'µs',
        show: (ms) => ms * 1000,
        cmp: compareRounds(sampled),
        target: { p50: 1.5 },
        // grpc-js against grpc-go: another client stack, not a floor.
        physical: false,
      },
    ],
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** go-client, started on the example binary: `batch(n)` runs n calls there, returns their times (ms). */
async function startGoClient(bin) {
  const child = spawn(bin, [GREETER_BIN], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('go-client ended early (see its stderr above)');
    return value;
  };
  if ((await next()) !== 'ready') throw new Error('go-client did not start');
  return {
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
