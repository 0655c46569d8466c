// The raw cost of compileContract's validators on an object param and an object result, with no
// host around them: a bare async call of the implementation with both checks, against the same
// call unchecked, sampled in alternation (scripts/bench/: ABAB, p50/p99 over rounds with their
// spread). The issue-12 target (validation ≤ 20% of an in-process call) is judged through the
// host, in packages/host/bench/in-process.bench.mjs: a bare call here is far cheaper than the
// handle's, so the same checks weigh more. Run with `pnpm bench` (it imports the built dist).
import { abab, compareRounds, printTable, rounds } from '../../../scripts/bench/index.mjs';
import { defineContract, t } from '../dist/index.js';
import { compileContract } from '../dist/validate.js';

const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
// One check is ~10–50 ns, far under the timer's resolution: a sample is a batch of calls.
const BATCH = 1000;
const PAIRS = 300;

const shapes = defineContract({
  name: 'shapes',
  methods: {
    area: {
      params: [
        { name: 'box', type: t.object({ w: t.number(), h: t.number(), label: t.optional(t.string()) }) },
      ],
      returns: t.object({ area: t.number(), unit: t.string() }),
    },
  },
});
const check = compileContract(shapes).methods.area;
const impl = async (box) => ({ area: box.w * box.h, unit: 'px' });
const args = [{ w: 2, h: 3, label: 'a' }];
const answer = { area: 6, unit: 'px' };

// A failed check throws, so that a checker that stopped checking cannot go unnoticed as "fast".
async function plain() {
  for (let i = 0; i < BATCH; i++) await impl(...args);
}
async function validated() {
  for (let i = 0; i < BATCH; i++) {
    if (check.checkArgs(args)) throw new Error('args refused');
    const r = await impl(...args);
    if (check.checkResult(r)) throw new Error('result refused');
  }
}
async function checksOnly() {
  for (let i = 0; i < BATCH; i++) {
    if (check.checkArgs(args)) throw new Error('args refused');
    if (check.checkResult(answer)) throw new Error('result refused');
  }
}
if (!check.checkArgs([{ w: 'wide', h: 3 }])) throw new Error('the checker let a bad box through');

const perCall = ({ a, b }) => ({ a: a.map((ms) => ms / BATCH), b: b.map((ms) => ms / BATCH) });
const sample = (a, b) =>
  rounds(ROUNDS, async (r) => perCall(await abab(a, b, { pairs: PAIRS, warmup: r === 0 ? PAIRS : 30 })));
const ns = (ms) => ms * 1e6;
const note = `a sample is the mean of ${BATCH} calls in a row, so p99 is of those means`;

printTable(`Contract validators, raw, interleaved batch by batch, ${ROUNDS} rounds`, [
  {
    name: 'contract: bare async call with both checks (vs unchecked)',
    unit: 'ns',
    show: ns,
    cmp: compareRounds(await sample(validated, plain)),
    // It does the unchecked call and more.
    physical: true,
    note: `${note}; the target is judged through the host (in-process.bench.mjs)`,
  },
  {
    name: 'contract: both checks alone (vs a bare async call)',
    unit: 'ns',
    show: ns,
    cmp: compareRounds(await sample(checksOnly, plain)),
    physical: false,
    note: `${note}; what the checks cost next to the cheapest call there is`,
  },
]);
