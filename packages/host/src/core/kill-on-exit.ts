// The host may end without closing its plugins (process.exit, an uncaught error, or just the end
// of its script, since idle plugins do not hold the event loop). Workers die with it; child
// processes would not, so the 'exit' hook kills them, synchronously, as 'exit' requires.
const live = new Map<number, boolean>();
let hooked = false;

function killAll(): void {
  for (const [pid, group] of live) {
    try {
      process.kill(group ? -pid : pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

/** Remembers a plugin process to kill if the host exits first. */
export function killOnExit(pid: number, group: boolean): void {
  live.set(pid, group);
  if (!hooked) {
    hooked = true;
    process.once('exit', killAll);
  }
}

export function forgetOnExit(pid: number): void {
  live.delete(pid);
}
