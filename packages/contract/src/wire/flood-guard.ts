// What bounds the host's memory against a plugin that floods it: one that sends requests or
// notifications in a tight loop and never reads the answers. Measured on 1.0.0: a process plugin
// sending requests grew the host by ~25 MB/s (every answer waits in the pipe's write buffer), and a
// worker posting messages took the host to 2 GB (a port queues every message in the host's heap,
// and the host drains it slower than a tight loop fills it). Nothing the plugin sends can be
// refused before it is queued, so the guard does the next best thing: it counts what arrives and
// trips on the first sign of a flood, and the host then stops the plugin, which frees the queue.
//
// A flood shows as messages that are not answers to the host's own requests arriving faster than
// the host handles them. Two signs, whichever comes first: a backlog (a worker's port delivers in
// one event-loop turn every message queued when the turn began, so thousands in one turn mean the
// queue grows faster than it drains; measured, that trips within milliseconds of a tight loop's
// start), and a plain rate over a second (the pipe of a process has backpressure of its own, so a
// flood there shows as a rate, not a backlog). A process that sends requests and never reads the
// answers makes the host's answers pile up in its write buffer: that is capped in bytes. Plain
// Date.now() and a scheduler passed in: this file stays free of Node APIs.

/** Caps on what one plugin may send the host (see docs/reliability.md, Flooding). */
export interface FloodLimits {
  /** Messages that are not answers to the host's requests, in one event-loop turn (default 5,000). */
  readonly maxPerTurn: number;
  /** Messages that are not answers to the host's requests, per window, at most (default 10,000). */
  readonly maxMessages: number;
  /** The window, in ms (default 1,000). */
  readonly windowMs: number;
  /** Requests from the plugin the host has not answered yet, at most (default 1,000). */
  readonly maxUnanswered: number;
  /**
   * Bytes the host wrote to the plugin and it has not read, at most, checked when the plugin sends
   * a request (default 16 MiB): its answers would pile up in the host.
   */
  readonly maxQueuedBytes: number;
}

export const DEFAULT_FLOOD_LIMITS: FloodLimits = Object.freeze({
  // Version 1 of the protocol has a plugin send the host only its handshake, logs and answers:
  // 10,000 logs a second is a flood by any measure, and a queue of 5,000 unhandled messages is a
  // host falling behind (a turn handles them in a few ms, so a real plugin never comes close).
  maxPerTurn: 5_000,
  maxMessages: 10_000,
  windowMs: 1_000,
  maxUnanswered: 1_000,
  maxQueuedBytes: 16 * 1024 * 1024,
});

/** Which cap tripped, and the count that tripped it. */
export interface Flood {
  readonly limit: 'maxPerTurn' | 'maxMessages' | 'maxUnanswered' | 'maxQueuedBytes';
  readonly count: number;
  readonly cap: number;
  readonly reason: string;
}

export interface FloodGuardOptions {
  readonly limits?: Partial<FloodLimits>;
  /** Requests received and not yet answered (RpcEndpoint.answeringCount). */
  readonly unanswered?: () => number;
  /**
   * True when the host has answered every request of the plugin and written the answers out
   * (RpcEndpoint.caughtUp). A request that arrives then was paced by the host's answers: a plugin
   * that awaits each call before the next is not counted against maxMessages, however fast the
   * round trip (protocol v3 made a worker's serial host calls ~25,000 a second, over the cap).
   */
  readonly paced?: () => boolean;
  /** Bytes written to the plugin and not read (a socket's writableLength). */
  readonly queuedBytes?: () => number;
  /** Called once, when a cap is first passed; the caller stops the plugin. */
  readonly onFlood: (flood: Flood) => void;
  /** Runs `fn` once the current event-loop turn is over (Node: setImmediate); none: no turn cap. */
  readonly afterTurn?: (fn: () => void) => void;
  readonly now?: () => number;
}

/** Counts what a plugin sends; `inbound` is the endpoint's `onInbound` hook. */
export class FloodGuard {
  readonly limits: FloodLimits;
  readonly #options: FloodGuardOptions;
  readonly #now: () => number;
  #windowStart = 0;
  #count = 0;
  #turn = 0;
  #tripped = false;
  readonly #endTurn = (): void => {
    this.#turn = 0;
  };

  constructor(options: FloodGuardOptions) {
    this.#options = options;
    this.limits = Object.freeze({ ...DEFAULT_FLOOD_LIMITS, ...options.limits });
    this.#now = options.now ?? Date.now;
  }

  get tripped(): boolean {
    return this.#tripped;
  }

  /** One message arrived that is not an answer to a request of ours (`request`: one to answer). */
  readonly inbound = (request = false): void => {
    if (this.#tripped) return;
    const flood = this.#check(request);
    if (flood === undefined) return;
    this.#tripped = true;
    this.#options.onFlood(flood);
  };

  #check(request: boolean): Flood | undefined {
    const { maxPerTurn, maxMessages, windowMs, maxUnanswered, maxQueuedBytes } = this.limits;
    const afterTurn = this.#options.afterTurn;
    if (afterTurn !== undefined) {
      if (this.#turn++ === 0) afterTurn(this.#endTurn);
      if (this.#turn > maxPerTurn) {
        const reason = `it sent more than ${maxPerTurn} requests or notifications faster than the host could handle them (they queued up)`;
        return { limit: 'maxPerTurn', count: this.#turn, cap: maxPerTurn, reason };
      }
    }
    const now = this.#now();
    if (now - this.#windowStart >= windowMs) {
      this.#windowStart = now;
      this.#count = 0;
    }
    // A request paced by the host's own answers is one call after another, not a flood; a flood
    // shows as requests arriving while earlier answers are still unsent (the same read, the same turn).
    const paced = request && this.#options.paced?.() === true;
    if (!paced && ++this.#count > maxMessages) {
      const reason = `it sent ${this.#count} requests or notifications within ${windowMs} ms (the cap is ${maxMessages})`;
      return { limit: 'maxMessages', count: this.#count, cap: maxMessages, reason };
    }
    if (!request) return undefined;
    const unanswered = this.#options.unanswered?.() ?? 0;
    if (unanswered > maxUnanswered) {
      const reason = `${unanswered} of its requests wait for the host's answer (the cap is ${maxUnanswered})`;
      return { limit: 'maxUnanswered', count: unanswered, cap: maxUnanswered, reason };
    }
    const queued = this.#options.queuedBytes?.() ?? 0;
    if (queued > maxQueuedBytes) {
      const reason = `it does not read the host's answers: ${queued} bytes wait unread (the cap is ${maxQueuedBytes})`;
      return { limit: 'maxQueuedBytes', count: queued, cap: maxQueuedBytes, reason };
    }
    return undefined;
  }
}
