// Whether the machine was quiet enough for the numbers to mean much: a ratio measured while other
// work competes for the cores can land anywhere, which is why the tables say when it did.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

/** Above this 1-minute load average per core, the numbers are marked as taken on a busy machine. */
export const BUSY_LOAD_PER_CORE = 0.5;

export function machineState() {
  const cores = availableParallelism();
  const [one, five] = loadavg();
  return { cores, one, five, perCore: one / cores, busy: one / cores > BUSY_LOAD_PER_CORE };
}

/**
 * How an idle core waits, where Linux says (a KVM guest's `haltpoll` cpuidle driver): the µs it
 * polls before it halts. A halted vCPU is woken by an IPI, which is a VM exit: on the bench VM
 * (Firecracker, booted with `haltpoll.guest_halt_poll_ns=0`) that wake-up cost tens of µs, on
 * every message between two threads or processes whose other side had gone idle, and made the
 * round-trip rows bimodal (one run 0.31x, the next 3.1x, the same code). KVM's default is 200 µs.
 * Undefined where the driver is not there (bare metal, other hypervisors).
 */
export function haltPollMicros() {
  try {
    if (readFileSync('/sys/devices/system/cpu/cpuidle/current_driver', 'utf8').trim() !== 'haltpoll')
      return undefined;
    return Number(readFileSync('/sys/module/haltpoll/parameters/guest_halt_poll_ns', 'utf8')) / 1000;
  } catch {
    return undefined;
  }
}

/** One line: Node, CPU, cores and load average, with a warning when the machine is busy. */
export function describeMachine() {
  const m = machineState();
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = `load average ${m.one.toFixed(2)} (1 min), ${m.five.toFixed(2)} (5 min) on ${m.cores} cores`;
  const warning = m.busy
    ? `\nWARNING: the machine is busy (${m.perCore.toFixed(2)} per core > ${BUSY_LOAD_PER_CORE}): other work shares the cores, so these ratios are noisy. Run again on an idle machine before quoting them.`
    : '';
  const poll = haltPollMicros();
  const idle =
    poll === undefined
      ? ''
      : `; idle vCPUs poll ${poll} µs before they halt (haltpoll guest_halt_poll_ns)${
          poll === 0
            ? "\nWARNING: idle vCPUs halt at once, so every wake-up of the other thread or process is a VM exit: the cross-thread rows measure the hypervisor. As root, `echo 200000 > /sys/module/haltpoll/parameters/guest_halt_poll_ns` (KVM's default) for the duration of the bench, and say so."
            : ''
        }`;
  return `Node ${process.version}, ${cpu}, ${load}${idle}${warning}`;
}
