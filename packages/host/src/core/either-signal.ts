/** A signal that fires, with the same reason, when either does (AbortSignal.any, which Node 20.0 lacks). */
export function eitherSignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  if (a === undefined) return b;
  if (a.aborted) return a;
  if (b.aborted) return b;
  const both = new AbortController();
  const fire = (s: AbortSignal) => () => {
    a.removeEventListener('abort', onA);
    b.removeEventListener('abort', onB);
    both.abort(s.reason);
  };
  const onA = fire(a);
  const onB = fire(b);
  a.addEventListener('abort', onA, { once: true });
  b.addEventListener('abort', onB, { once: true });
  return both.signal;
}
