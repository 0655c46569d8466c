// One timer for many deadlines of the same length (every host-function call of one plugin has the
// same timeout, so their deadlines come in the order the calls started). A timer per call cost the
// in-process host-function round trip ~40% of its time (profiled: Node's timer list insert and
// unenroll on every call); here a call costs an array push and shift, and the timer is re-armed
// only when it fires. It is ref'd only while some deadline is pending, so an idle host can exit.

interface Deadline {
  readonly at: number;
  readonly onExpire: () => void;
  done: boolean;
}

/** Deadlines `ms` after each `add`, on one timer. */
export class DeadlineQueue {
  readonly #ms: number;
  readonly #pending: Deadline[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  /** Calls `onExpire` once, `ms` from now, unless the returned `settle` is called first. */
  add(onExpire: () => void): () => void {
    const deadline: Deadline = { at: performance.now() + this.#ms, onExpire, done: false };
    if (this.#pending.push(deadline) === 1) {
      if (this.#timer === undefined) this.#arm(this.#ms);
      else this.#timer.ref();
    }
    return () => {
      if (deadline.done) return;
      deadline.done = true;
      this.#dropSettled();
    };
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#fire, Math.max(1, Math.ceil(ms)));
  }

  #dropSettled(): void {
    const pending = this.#pending;
    while (pending.length > 0 && pending[0]!.done) pending.shift();
    if (pending.length === 0) this.#timer?.unref();
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    const pending = this.#pending;
    while (pending.length > 0 && (pending[0]!.done || pending[0]!.at <= now)) {
      const head = pending.shift()!;
      if (head.done) continue;
      head.done = true;
      head.onExpire();
    }
    if (pending.length > 0) this.#arm(pending[0]!.at - now);
  };
}
