// The per-call cost of compileContract's validators on an object param and an object result,
// against the same in-process call unvalidated; rounds interleaved (A B C A B C ...), the first two
// dropped as warm-up, medians reported. Run after a build: node packages/contract/bench/validation.bench.mjs
import { defineContract, t } from '../dist/index.js';
import { compileContract } from '../dist/validate.js';

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
const N = 200_000;
async function plain() {
  for (let i = 0; i < N; i++) await impl(...args);
}
async function validated() {
  for (let i = 0; i < N; i++) {
    if (check.checkArgs(args)) throw 0;
    const r = await impl(...args);
    if (check.checkResult(r)) throw 0;
  }
}
function checksOnly() {
  const r = { area: 6, unit: 'px' };
  for (let i = 0; i < N; i++) {
    if (check.checkArgs(args)) throw 0;
    if (check.checkResult(r)) throw 0;
  }
}
const res = { plain: [], validated: [], checks: [] };
for (let round = 0; round < 12; round++) {
  for (const [k, f] of [
    ['plain', plain],
    ['validated', validated],
    ['checks', checksOnly],
  ]) {
    const t0 = process.hrtime.bigint();
    await f();
    res[k].push(Number(process.hrtime.bigint() - t0) / N);
  }
}
const med = (a) => a.slice(2).sort((x, y) => x - y)[Math.floor((a.length - 2) / 2)];
console.log(
  `ns/call median of 10 rounds: unvalidated ${med(res.plain).toFixed(1)}, validated ${med(res.validated).toFixed(1)}, checks alone ${med(res.checks).toFixed(1)}; overhead ${((med(res.validated) / med(res.plain) - 1) * 100).toFixed(1)}%`,
);
