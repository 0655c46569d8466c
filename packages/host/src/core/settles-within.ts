/** Whether `work` settles within `ms` (the grace periods of stopping a plugin); the timer is cleared either way. */
export function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((done) => {
      timer = setTimeout(() => done(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
