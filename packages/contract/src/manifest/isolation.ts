/** Where a plugin's code runs: the host's own thread, a worker thread, or a child process. */
export type Isolation = 'in-process' | 'worker' | 'process';

/** Every isolation, in order of increasing separation from the host. */
export const ISOLATIONS: readonly Isolation[] = Object.freeze(['in-process', 'worker', 'process']);

/** True for one of the three isolation names. */
export function isIsolation(value: unknown): value is Isolation {
  return typeof value === 'string' && (ISOLATIONS as readonly string[]).includes(value);
}
