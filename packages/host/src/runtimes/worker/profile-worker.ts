import { Session } from 'node:inspector';

/** A V8 CPU profile, as Chrome DevTools reads a `.cpuprofile` file. */
export interface CpuProfile {
  readonly nodes: readonly unknown[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/**
 * Takes a CPU profile of a worker thread of this thread, for `durationMs`, even while its event
 * loop is blocked.
 *
 * Why this way, on Node 20: an `inspector.Session` inside the worker would be served by its own
 * (blocked) event loop, and Node 20 has no `worker.startCpuProfile()` (Node 24 added one). But the
 * host's own inspector speaks the `NodeWorker` domain: `NodeWorker.enable` attaches to this
 * thread's workers, and `NodeWorker.sendMessageToWorker` hands a message to the worker's
 * inspector, which Node dispatches with `Isolate::RequestInterrupt` (src/inspector/
 * main_thread_interface.cc), so V8 runs it at the next interrupt check of the busy loop. The
 * sampling profiler then samples from its own thread. Measured here: a worker in `for (;;) {}`
 * answers Profiler.start/stop and gives ~1 sample per ms.
 */
export async function profileWorker(threadId: number, durationMs: number): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  try {
    const post = (method: string, params: object = {}) =>
      new Promise<unknown>((resolve, reject) =>
        session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
      );
    let sessionId: string | undefined;
    const attached = new Promise<string>((resolve) => {
      // workerId is the session's own counter; the title is "[worker <threadId>] <name>".
      const onAttach = (message: { params: { sessionId: string; workerInfo: { title: string } } }) => {
        if (/^\[worker (\d+)\]/.exec(message.params.workerInfo.title)?.[1] !== String(threadId)) return;
        session.off('NodeWorker.attachedToWorker', onAttach as never);
        resolve(message.params.sessionId);
      };
      session.on('NodeWorker.attachedToWorker', onAttach as never);
    });
    let next = 0;
    const waiting = new Map<number, (answer: { result?: unknown; error?: { message: string } }) => void>();
    session.on('NodeWorker.receivedMessageFromWorker', (message: { params: { message: string } }) => {
      const answer = JSON.parse(message.params.message) as { id?: number; result?: unknown };
      if (answer.id !== undefined) waiting.get(answer.id)?.(answer);
    });
    const inWorker = async (method: string, params: object = {}): Promise<unknown> => {
      const id = ++next;
      const answered = new Promise<{ result?: unknown; error?: { message: string } }>((resolve) =>
        waiting.set(id, resolve),
      );
      await post('NodeWorker.sendMessageToWorker', {
        sessionId,
        message: JSON.stringify({ id, method, params }),
      });
      const answer = await answered;
      waiting.delete(id);
      if (answer.error !== undefined) throw new Error(`${method}: ${answer.error.message}`);
      return answer.result;
    };
    await post('NodeWorker.enable', { waitForDebuggerOnStart: false });
    sessionId = await withTimeout(attached, 5000, `worker ${threadId} is not a worker of this thread`);
    await withTimeout(inWorker('Profiler.enable'), 5000, 'the worker did not answer its inspector');
    await inWorker('Profiler.start');
    await new Promise((resolve) => setTimeout(resolve, durationMs));
    const { profile } = (await withTimeout(inWorker('Profiler.stop'), 5000, 'the profile never came')) as {
      profile: CpuProfile;
    };
    return profile;
  } finally {
    session.disconnect();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(why)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
