/**
 * Settles as `work` does, or rejects with `onTimeout()` once `ms` have passed, or with
 * `onAbort()` when `signal` fires; the timer and the listener are removed either way. The work
 * itself is not stopped: the caller ends what it started (kills the process, drops the import).
 */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => unknown,
  signal?: AbortSignal,
  onAbort?: () => unknown,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      fn();
    };
    const abort = () => settle(() => reject(onAbort?.() ?? signal?.reason));
    const timer = setTimeout(() => settle(() => reject(onTimeout())), ms);
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
