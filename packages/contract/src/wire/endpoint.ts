import { type CompactMessage, describeOutgoing, type Envelope, type OutgoingMessage } from './compact.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import { brief, isId, isObject, isThenable, type RpcId } from './rpc-message.js';

// Hand-written on a measured reason. The first release used vscode-jsonrpc 8.2.1, which queues
// every incoming message and dispatches one per setImmediate tick, on both sides, and writes each
// message on its own. Measured against the raw transports (packages/host/README.md, Performance):
// a worker round trip cost 1.51x a bare postMessage echo and pipelined throughput fell to 0.37x
// (process pipe: 2.92x and 0.10x); its ~40 CommonJS modules also doubled a worker's start time.
// This endpoint dispatches each message synchronously as it arrives and sends what is written in
// one tick as one batch (of at most 64), which brought those ratios to ~1.0-1.3x and 0.85-1.75x.
// It speaks plain JSON-RPC 2.0 (plus the LSP's `$/cancelRequest`), or the same messages in protocol
// version 3's compact envelope (compact.ts), and never throws on what the other side sends: a
// plugin may send anything at all. One class of ~500 lines, over the usual size, because every
// path (send, receive, cancel, close) shares its private state.

export interface EndpointOptions {
  /**
   * Sends the messages written during one tick, in order; the transport frames them. It may throw
   * (a value that cannot be encoded): the endpoint then retries them one by one and settles each
   * one that fails (a request rejects, a response becomes an internal error).
   */
  readonly write: (messages: readonly OutgoingMessage[]) => void;
  /** Told about every incoming message that was ignored, and why (the first 20; then once more). */
  readonly onProblem?: (problem: string) => void;
  /** When to flush the writes of this tick (default: queueMicrotask). */
  readonly schedule?: (flush: () => void) => void;
  /**
   * Told about every incoming message that is not an answer to a request of this side (requests,
   * notifications, garbage; `request` when it is a request to answer): the hook of a FloodGuard
   * (flood-guard.ts), which may close the endpoint.
   */
  readonly onInbound?: (request: boolean) => void;
  /** Which envelope to read and write (default 'json-rpc'); a host learns its peer's with setEnvelope. */
  readonly envelope?: Envelope;
}

/** `id` is the request's (talkback: to match a later `$/cancelRequest` with `onCancelled`). */
export type RequestHandler = (params: unknown, id: RpcId) => unknown;
export type NotificationHandler = (params: unknown) => void;

/** A request in flight: its id (to `cancel` it) and its answer. */
export interface OutgoingRequest {
  readonly id: number;
  readonly result: Promise<unknown>;
}

/** Called once with a request's answer: an RpcError, or undefined and the result. */
export type AnswerCallback = (error: RpcError | undefined, result?: unknown) => void;

const CANCEL = '$/cancelRequest';
const MAX_PROBLEMS = 20;
/** Messages sent in one write at most. */
const MAX_BATCH = 64;
/** Ids of cancelled requests remembered, so that their late answers are dropped quietly. */
const MAX_CANCELLED = 1024;

/** One side of a JSON-RPC 2.0 connection over any transport (a port, a pipe, memory). */
export class RpcEndpoint {
  readonly #write: EndpointOptions['write'];
  readonly #onProblem: EndpointOptions['onProblem'];
  readonly #schedule: (flush: () => void) => void;
  readonly #onInbound: ((request: boolean) => void) | undefined;
  readonly #requests = new Map<string, RequestHandler>();
  readonly #notifications = new Map<string, NotificationHandler>();
  readonly #pending = new Map<RpcId, AnswerCallback>();
  readonly #cancelled = new Set<RpcId>();
  /** Incoming requests answered asynchronously, until answered (so `$/cancelRequest` can end them). */
  readonly #answering = new Map<RpcId, object>();
  #outbox: OutgoingMessage[] = [];
  #compact: boolean;
  #scheduled = false;
  #nextId = 1;
  #closed = false;
  #problems = 0;
  // talkback hook: told of each incoming request cancelled by the other side (to fire its signal).
  #onCancelled: ((id: RpcId) => void) | undefined;
  // talkback hook: notifications this side asked for (a stream's items within its credit), which
  // are answers, not traffic of the other side's own: not counted by onInbound (the flood guard).
  readonly #solicited = new Map<string, (params: unknown) => boolean>();

  constructor(options: EndpointOptions) {
    this.#write = options.write;
    this.#onProblem = options.onProblem;
    this.#schedule = options.schedule ?? queueMicrotask;
    this.#onInbound = options.onInbound;
    this.#compact = options.envelope === 'compact';
  }

  /** The envelope this endpoint reads and writes. */
  get envelope(): Envelope {
    return this.#compact ? 'compact' : 'json-rpc';
  }

  /**
   * Switches the envelope: a host's transport calls it when the peer's first message shows
   * version 3, before that message is received (the host writes nothing before the handshake).
   */
  setEnvelope(envelope: Envelope): void {
    this.#compact = envelope === 'compact';
  }

  /** How many incoming messages were ignored so far. */
  get problems(): number {
    return this.#problems;
  }

  /** Requests sent and not yet answered. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Incoming requests whose (asynchronous) answer has not been sent yet. */
  get answeringCount(): number {
    return this.#answering.size;
  }

  /**
   * Every request the other side sent was answered, and the answers were written out (none wait
   * in this tick's outbox): a request arriving now was sent after the last answer reached it.
   */
  get caughtUp(): boolean {
    return this.#answering.size === 0 && this.#outbox.length === 0;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Serves `method`: the handler returns the result (or a promise of it) or throws an RpcError. */
  onRequest(method: string, handler: RequestHandler): void {
    this.#requests.set(method, handler);
  }

  /** Told when the other side cancels a request it sent here that is still being answered. */
  onCancelled(listener: (id: RpcId) => void): void {
    this.#onCancelled = listener;
  }

  /**
   * Notifications of `method` for which `isAnswer(params)` holds are answers to this side (a
   * stream's items within the credit it granted): onInbound is not told of them.
   */
  solicits(method: string, isAnswer: (params: unknown) => boolean): void {
    this.#solicited.set(method, isAnswer);
  }

  onNotification(method: string, handler: NotificationHandler): void {
    this.#notifications.set(method, handler);
  }

  /** Sends a request; `result` rejects with an RpcError (the answer's, or a local one). */
  request(method: string, params?: unknown): OutgoingRequest {
    let id = 0;
    const result = new Promise<unknown>((resolve, reject) => {
      id = this.send(method, params, (error, value) =>
        error === undefined ? resolve(value) : reject(error),
      );
    });
    return { id, result };
  }

  /**
   * Sends a request and calls `onAnswer` once with its answer (never synchronously): what
   * `request` does without a promise, for the host's hot path, where each allocation shows.
   */
  send(method: string, params: unknown, onAnswer: AnswerCallback): number {
    const id = this.#nextId++;
    if (this.#closed) {
      queueMicrotask(() => onAnswer(new RpcError(RPC_ERRORS.connectionClosed, 'The connection is closed.')));
      return id;
    }
    this.#pending.set(id, onAnswer);
    this.#send(this.#compact ? [0, id, method, params] : { jsonrpc: '2.0', id, method, params });
    return id;
  }

  notify(method: string, params?: unknown): void {
    this.#send(this.#compact ? [1, method, params] : { jsonrpc: '2.0', method, params });
  }

  /** Stops waiting for `id`: its result rejects, and the other side is told (`$/cancelRequest`). */
  cancel(id: number): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    this.#cancelled.add(id);
    if (this.#cancelled.size > MAX_CANCELLED) {
      this.#cancelled.delete(this.#cancelled.values().next().value as RpcId);
    }
    this.#send(this.#compact ? [1, CANCEL, { id }] : { jsonrpc: '2.0', method: CANCEL, params: { id } });
    pending(new RpcError(RPC_ERRORS.requestCancelled, 'The request was cancelled.'));
  }

  /** The transport ended: every pending request rejects, and nothing more is sent or received. */
  close(reason = 'The connection closed before the answer came.'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#outbox = [];
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#answering.clear();
    for (const p of pending) p(new RpcError(RPC_ERRORS.connectionClosed, reason));
  }

  /** Handles one decoded message (or an array of them). Never throws, whatever `message` is. */
  receive(message: unknown): void {
    if (this.#closed) return;
    try {
      if (this.#compact) {
        this.#receiveCompactValue(message);
      } else if (Array.isArray(message)) {
        if (message.length === 0) this.#problem('an empty batch');
        for (const m of message) {
          if (this.#closed) return; // a flood guard closed it mid-batch
          if (Array.isArray(m)) this.#problem('a batch nested in a batch');
          else this.#receiveOne(m);
        }
      } else {
        this.#receiveOne(message);
      }
    } catch (error) {
      // Only a handler's own bug can land here (they are called in try blocks); never let it out.
      this.#problem(
        `an error while handling a message: ${brief(error instanceof Error ? error.message : error)}`,
      );
    }
  }

  /** Reports a problem found before decoding (a line that is not JSON, one too long). */
  problem(description: string): void {
    if (!this.#closed) this.#onInbound?.(false);
    this.#problem(description);
  }

  #problem(description: string): void {
    this.#problems++;
    if (this.#onProblem === undefined || this.#problems > MAX_PROBLEMS + 1) return;
    try {
      this.#onProblem(
        this.#problems > MAX_PROBLEMS
          ? `more ignored messages follow; they are not reported one by one (${description})`
          : `ignored ${description}`,
      );
    } catch {
      // A logger that throws must not break the connection.
    }
  }

  #receiveOne(m: unknown): void {
    if (this.#onInbound !== undefined && !this.#answersPending(m)) {
      this.#onInbound(isObject(m) && 'method' in m && 'id' in m);
      if (this.#closed) return;
    }
    if (!isObject(m)) {
      this.#problem(`a message that is not an object: ${brief(m)}`);
    } else if (m.jsonrpc !== '2.0') {
      this.#problem(`a message without "jsonrpc": "2.0": ${brief(m)}`);
    } else if ('method' in m) {
      if (typeof m.method !== 'string') this.#invalid(m, 'a message whose "method" is not a string');
      else if (!('id' in m)) this.#onNotificationMessage(m.method, m.params);
      else if (!isId(m.id)) this.#problem(`a request whose "id" is not a number or string: ${brief(m)}`);
      else this.#onRequestMessage(m.id, m.method, m.params);
    } else if ('id' in m) {
      this.#onResponse(m);
    } else {
      this.#problem(`a message that is neither a request, a notification nor a response: ${brief(m)}`);
    }
  }

  /** Version 3: a message (an array led by its kind) or a batch (an array of them). */
  #receiveCompactValue(message: unknown): void {
    if (Array.isArray(message) && typeof message[0] !== 'number') {
      if (message.length === 0) this.#problem('an empty batch');
      for (const m of message) {
        if (this.#closed) return; // a flood guard closed it mid-batch
        this.#receiveCompact(m);
      }
      return;
    }
    this.#receiveCompact(message);
  }

  /** One version 3 message, checked as strictly as #receiveOne checks a JSON-RPC object. */
  #receiveCompact(m: unknown): void {
    if (this.#onInbound !== undefined && !this.#compactAnswersPending(m)) {
      this.#onInbound(Array.isArray(m) && m[0] === 0);
      if (this.#closed) return;
    }
    if (!Array.isArray(m)) {
      this.#problem(`a message that is not a protocol version 3 array: ${brief(m)}`);
      return;
    }
    switch (m[0]) {
      case 0:
        if (m.length !== 4 || typeof m[2] !== 'string') {
          this.#problem(`a malformed request (not [0, id, method, params]): ${brief(m)}`);
          if (isId(m[1]))
            this.#answerError(
              m[1],
              new RpcError(RPC_ERRORS.invalidRequest, 'Invalid request: not [0, id, method, params].'),
            );
        } else if (!isId(m[1])) {
          this.#problem(`a request whose id is not a number or string: ${brief(m)}`);
        } else {
          this.#onRequestMessage(m[1], m[2], m[3]);
        }
        return;
      case 1:
        if (m.length !== 3 || typeof m[1] !== 'string')
          this.#problem(`a malformed notification (not [1, method, params]): ${brief(m)}`);
        else this.#onNotificationMessage(m[1], m[2]);
        return;
      case 2:
      case 3:
        this.#onCompactResponse(m as unknown as CompactMessage);
        return;
      default:
        this.#problem(
          Array.isArray(m[0])
            ? 'a batch nested in a batch'
            : `a message of no known kind (not 0-3): ${brief(m)}`,
        );
    }
  }

  #compactAnswersPending(m: unknown): boolean {
    if (!Array.isArray(m)) return false;
    if (m[0] === 2 || m[0] === 3) return isId(m[1]) && this.#pending.has(m[1]);
    if (m[0] !== 1 || typeof m[1] !== 'string' || this.#solicited.size === 0) return false;
    const isAnswer = this.#solicited.get(m[1]);
    try {
      return isAnswer?.(m[2]) === true;
    } catch {
      return false;
    }
  }

  #onCompactResponse(m: CompactMessage): void {
    const id = m[1];
    const pending = isId(id) ? this.#pending.get(id) : undefined;
    if (pending === undefined) {
      if (!(isId(id) && this.#cancelled.delete(id)))
        this.#problem(`a response to an unknown id: ${brief(id)}`);
      return;
    }
    this.#pending.delete(id as RpcId);
    if (m.length === 3) {
      if (m[0] === 2) {
        pending(undefined, m[2]);
        return;
      }
      const e: unknown = m[2];
      if (isObject(e) && Number.isInteger(e.code) && typeof e.message === 'string') {
        pending(new RpcError(e.code as number, e.message, e.data));
        return;
      }
    }
    this.#problem(`a malformed response: ${brief(m)}`);
    pending(new RpcError(RPC_ERRORS.internalError, `Malformed response: ${brief(m)}`));
  }

  /** An answer to a request of ours: never counted as a flood (the pending-call cap bounds those). */
  #answersPending(m: unknown): boolean {
    if (!isObject(m)) return false;
    if (!('method' in m)) return isId(m.id) && this.#pending.has(m.id);
    if ('id' in m || typeof m.method !== 'string' || this.#solicited.size === 0) return false;
    const isAnswer = this.#solicited.get(m.method);
    try {
      return isAnswer?.(m.params) === true;
    } catch {
      return false;
    }
  }

  #invalid(m: Record<string, unknown>, why: string): void {
    this.#problem(`${why}: ${brief(m)}`);
    if (isId(m.id))
      this.#answerError(m.id, new RpcError(RPC_ERRORS.invalidRequest, `Invalid request: ${why}.`));
  }

  #onNotificationMessage(method: string, params: unknown): void {
    if (method === CANCEL) {
      const id = isObject(params) ? params.id : undefined;
      // Answered already, or never ours: nothing to do (the LSP allows a late or unknown cancel).
      if (isId(id) && this.#answering.delete(id)) {
        this.#answerError(id, new RpcError(RPC_ERRORS.requestCancelled, 'The request was cancelled.'));
        try {
          this.#onCancelled?.(id);
        } catch (error) {
          this.#problem(`a cancel listener threw: ${brief(error instanceof Error ? error.message : error)}`);
        }
      }
      return;
    }
    const handler = this.#notifications.get(method);
    if (handler === undefined) {
      if (!method.startsWith('$/')) this.#problem(`a notification nobody handles: ${method}`);
      return;
    }
    try {
      handler(params);
    } catch (error) {
      this.#problem(
        `a notification whose handler threw (${method}): ${brief(error instanceof Error ? error.message : error)}`,
      );
    }
  }

  #onRequestMessage(id: RpcId, method: string, params: unknown): void {
    const handler = this.#requests.get(method);
    if (handler === undefined) {
      this.#answerError(id, new RpcError(RPC_ERRORS.methodNotFound, `Unknown method: ${method}.`));
      return;
    }
    let result: unknown;
    try {
      result = handler(params, id);
    } catch (error) {
      this.#answerError(id, error);
      return;
    }
    if (!isThenable(result)) {
      this.#answer(id, result);
      return;
    }
    const token = {};
    this.#answering.set(id, token);
    const settled = () => {
      if (this.#answering.get(id) !== token) return false; // cancelled, or the connection closed
      this.#answering.delete(id);
      return true;
    };
    result.then(
      (value) => settled() && this.#answer(id, value),
      (error: unknown) => settled() && this.#answerError(id, error),
    );
  }

  #onResponse(m: Record<string, unknown>): void {
    const id = m.id;
    const pending = isId(id) ? this.#pending.get(id) : undefined;
    if (pending === undefined) {
      // A late answer to a request cancelled here is expected; anything else is the peer's mistake.
      if (!(isId(id) && this.#cancelled.delete(id)))
        this.#problem(`a response to an unknown id: ${brief(id)}`);
      return;
    }
    this.#pending.delete(id as RpcId);
    const hasResult = 'result' in m;
    const hasError = 'error' in m;
    if (hasError && !hasResult) {
      const e = m.error;
      if (isObject(e) && Number.isInteger(e.code) && typeof e.message === 'string') {
        pending(new RpcError(e.code as number, e.message, e.data));
        return;
      }
    } else if (hasResult && !hasError) {
      pending(undefined, m.result);
      return;
    }
    this.#problem(`a malformed response: ${brief(m)}`);
    pending(new RpcError(RPC_ERRORS.internalError, `Malformed response: ${brief(m)}`));
  }

  #answer(id: RpcId, result: unknown): boolean {
    const value = result === undefined ? null : result;
    this.#send(this.#compact ? [2, id, value] : { jsonrpc: '2.0', id, result: value });
    return true;
  }

  #answerError(id: RpcId, error: unknown): boolean {
    const e = RpcError.isInstance(error)
      ? error
      : new RpcError(RPC_ERRORS.internalError, error instanceof Error ? error.message : String(error));
    const body =
      e.data === undefined
        ? { code: e.code, message: e.message }
        : { code: e.code, message: e.message, data: e.data };
    this.#send(this.#errorMessage(id, body));
    return true;
  }

  #errorMessage(id: RpcId, error: { code: number; message: string; data?: unknown }): OutgoingMessage {
    return this.#compact ? [3, id, error] : { jsonrpc: '2.0', id, error };
  }

  #send(message: OutgoingMessage): void {
    if (this.#closed) return;
    // A full batch goes at once, so the other side starts on it while this one writes the next:
    // with a core free for each, that overlap beats one big batch (measured on 1000-call bursts).
    if (this.#outbox.push(message) >= MAX_BATCH) {
      this.#flush();
      return;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#schedule(this.#scheduledFlush);
    }
  }

  readonly #flush = (): void => {
    const batch = this.#outbox;
    this.#outbox = [];
    if (this.#closed || batch.length === 0) return;
    try {
      this.#write(batch);
    } catch (error) {
      if (batch.length === 1) this.#unsendable(batch[0]!, error);
      else for (const m of batch) this.#writeAlone(m);
    }
  };

  readonly #scheduledFlush = (): void => {
    this.#scheduled = false;
    this.#flush();
  };

  #writeAlone(message: OutgoingMessage): void {
    try {
      this.#write([message]);
    } catch (error) {
      this.#unsendable(message, error);
    }
  }

  /** One message could not be encoded: settle what waits on it. */
  #unsendable(message: OutgoingMessage, error: unknown): void {
    const why = error instanceof Error ? error.message : String(error);
    const { kind, id, method } = describeOutgoing(message);
    if (kind === 'request' || kind === 'notification') {
      const pending = id === undefined || id === null ? undefined : this.#pending.get(id);
      if (pending !== undefined && id !== undefined && id !== null) {
        this.#pending.delete(id);
        // A coded refusal from the transport (a message over the frame limit) keeps its code, so
        // the caller can tell its own oversized argument from a plugin's failure.
        pending(
          RpcError.isInstance(error)
            ? error
            : // `notSent`: the caller's own value could not be encoded, so it is not the peer's fault.
              new RpcError(RPC_ERRORS.internalError, `The request could not be sent: ${why}`, {
                notSent: true,
              }),
        );
      } else {
        this.#problem(`an outgoing notification that could not be sent (${method}): ${why}`);
      }
    } else if (kind === 'result' && id !== null && id !== undefined) {
      const tooLarge = RpcError.isInstance(error) && error.code === RPC_ERRORS.messageTooLarge;
      const failed = new RpcError(
        tooLarge ? RPC_ERRORS.payloadTooLarge : RPC_ERRORS.internalError,
        `The result could not be sent: ${why}`,
      );
      try {
        this.#write([this.#errorMessage(id, { code: failed.code, message: failed.message })]);
      } catch {
        this.#problem(`an answer that could not be sent: ${why}`);
      }
    } else {
      this.#problem(`an error answer that could not be sent: ${why}`);
    }
  }
}
