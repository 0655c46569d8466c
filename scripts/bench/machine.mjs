// Whether the machine was quiet enough for the numbers to mean much: a ratio measured while other
// work competes for the cores can land anywhere, which is why the tables say when it did.
import { availableParallelism, cpus, loadavg } from 'node:os';

/** Above this 1-minute load average per core, the numbers are marked as taken on a busy machine. */
export const BUSY_LOAD_PER_CORE = 0.5;

export function machineState() {
  const cores = availableParallelism();
  const [one, five] = loadavg();
  return { cores, one, five, perCore: one / cores, busy: one / cores > BUSY_LOAD_PER_CORE };
}

/** One line: Node, CPU, cores and load average, with a warning when the machine is busy. */
export function describeMachine() {
  const m = machineState();
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = `load average ${m.one.toFixed(2)} (1 min), ${m.five.toFixed(2)} (5 min) on ${m.cores} cores`;
  const warning = m.busy
    ? `\nWARNING: the machine is busy (${m.perCore.toFixed(2)} per core > ${BUSY_LOAD_PER_CORE}): other work shares the cores, so these ratios are noisy. Run again on an idle machine before quoting them.`
    : '';
  return `Node ${process.version}, ${cpu}, ${load}${warning}`;
}
