// Sampling a measure against its baseline so that both see the same machine: one call of each,
// in turn (ABAB), rather than all of A then all of B. On a machine where other work comes and
// goes, and where a round trip is bimodal (~15 µs when both threads stay on busy cores, ~50 µs
// when the peer's core went idle and must be woken), a separate block for the baseline measures
// another machine state: that is how the old table came to say a worker call costs 0.29x a bare
// postMessage echo, which no code can do.
//
// Why not tinybench or mitata for this: both run each task as its own block (every iteration of
// A, then every iteration of B), the very bias this removes, and neither can alternate two tasks
// call by call. They fit where the two sides cannot disturb each other's scheduling and are too
// fast to time one by one (the in-process call, bench/in-process.mjs); here the loop is ours.
import { performance } from 'node:perf_hooks';

/**
 * Times `pairs` calls of each of `a` and `b`, alternating one of each; the order flips every
 * pair (AB BA AB ...), so that neither side always runs right after the other's wake-up.
 * Each sample is one call's time in ms; `warmup` untimed pairs go first (JIT, caches). With
 * `reported`, each call answers its own sample (ms, timed where the work is, such as inside a
 * plugin) instead of being timed here.
 * @returns {Promise<{ a: Float64Array, b: Float64Array }>}
 */
export async function abab(a, b, { pairs, warmup = 0, reported = false }) {
  const time = reported ? (fn) => fn() : timeCall;
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const ta = new Float64Array(pairs);
  const tb = new Float64Array(pairs);
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      ta[i] = await time(a);
      tb[i] = await time(b);
    } else {
      tb[i] = await time(b);
      ta[i] = await time(a);
    }
  }
  return { a: ta, b: tb };
}

async function timeCall(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Several rounds of `sample()` (each giving `{ a, b }` sample sets), so that the spread between
 * rounds shows how far one run can be trusted.
 */
export async function rounds(count, sample) {
  const out = [];
  for (let r = 0; r < count; r++) out.push(await sample(r));
  return out;
}
