import { Worker } from 'node:worker_threads';
import { portEndpoint } from '@x/contract/wire';
import { floodWatch } from '../../core/flood-watch.js';
import { settlesWithin } from '../../core/settles-within.js';
import type { Channel, ChannelOptions, ExitInfo } from '../x-protocol/channel.js';
import { endpointOptions, forwardLogs, forwardOutput } from '../x-protocol/channel.js';

/**
 * How long close() waits for a terminated worker to end. terminate() stops JavaScript at once, but
 * not a thread blocked in a native call (a read from a FIFO, a native addon): that one ends only
 * when the call returns (and, measured on Node 20, process.exit() waits for it too).
 */
export const TERMINATE_GRACE_MS = 2000;

/**
 * The worker's internal port, which carries its stdout and stderr. Reading a worker's stdout (we
 * forward it to the logger) refs that port until the stream ends, and worker.unref() does not
 * unref it: measured on Node 20, a host holding an idle worker plugin with piped stdio never
 * exits. Node keeps it behind a private symbol; found by its description, and if a later Node
 * renames it, the idle-worker test (test/faults/close-bounds.test.ts) says so.
 */
function stdioPort(worker: Worker): { unref(): void } | undefined {
  const key = Object.getOwnPropertySymbols(worker).find((k) => k.description === 'kPort');
  const port = key === undefined ? undefined : (worker as unknown as Record<symbol, unknown>)[key];
  return typeof (port as { unref?: unknown } | undefined)?.unref === 'function'
    ? (port as { unref(): void })
    : undefined;
}

/** Starts a plugin in a worker thread; RPC runs over the worker's own message port. */
export function startWorker(options: ChannelOptions): Channel {
  const worker = new Worker(options.script, {
    workerData: { ...options.offer, entry: options.entry, export: options.exportName },
    // The worker's process.env is this object only, as a child process's would be.
    env: { ...options.env, ...options.offer },
    execArgv: [...(options.execArgv ?? [])],
    stdout: true,
    stderr: true,
    resourceLimits:
      options.maxHeapMb === undefined ? undefined : { maxOldGenerationSizeMb: options.maxHeapMb },
    name: options.plugin,
  });
  const recent: string[] = [];
  forwardOutput(worker.stdout, 'stdout', options.plugin, options.logger);
  forwardOutput(worker.stderr, 'stderr', options.plugin, options.logger, recent);
  let failure: Error | undefined;
  // A worker posting in a tight loop fills a queue in the host's own heap: end it at the first sign.
  const flood = floodWatch(options.plugin, 'worker', (error) => {
    failure = error;
    void worker.terminate();
  });
  let wireVersion: 1 | 2 | 3 | undefined;
  // 'peer': the plugin's first post (its handshake) shows its version; the host answers in kind.
  const endpoint = portEndpoint(worker, {
    ...endpointOptions(options),
    onInbound: flood.onInbound,
    version: 'peer',
    onPeerVersion: (v) => {
      wireVersion = v;
    },
  });
  flood.attach(endpoint);
  forwardLogs(endpoint, options);
  let hasExited = false;
  let held = true;
  // Found once: unref() runs after every call that leaves the plugin idle, and the symbol lookup
  // was 1.6% of the host's time in a profile of serial worker calls.
  const stdio = stdioPort(worker);
  worker.on('error', (error) => {
    failure ??= error;
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    worker.once('exit', (code) => {
      hasExited = true;
      endpoint.close();
      resolve({ code, signal: null, error: failure });
    });
  });
  return {
    endpoint,
    threadId: worker.threadId,
    exited,
    get hasExited() {
      return hasExited;
    },
    async kill() {
      if (!hasExited) {
        void worker.terminate();
        if (!(await settlesWithin(exited, TERMINATE_GRACE_MS))) {
          // Stuck in a native call: close() settles anyway, says so, and the thread stops holding
          // the event loop; it ends (and 'exit' fires) when the call returns.
          worker.unref();
          options.logger.log(
            'error',
            `The worker did not end within ${TERMINATE_GRACE_MS} ms of terminate(): it is blocked in a native call. Its thread stays until that call returns (and the host's process.exit() waits for it); use process isolation for such a plugin.`,
            { plugin: options.plugin, threadId: worker.threadId },
          );
          return;
        }
      }
      await exited;
    },
    // Called around every call: only a change reaches libuv.
    ref: () => {
      if (held) return;
      held = true;
      worker.ref();
    },
    unref: () => {
      if (!held) return;
      held = false;
      worker.unref();
      // While held, worker.ref() keeps the loop alive; idle, nothing of the worker may.
      stdio?.unref();
    },
    recentOutput: () => recent,
    wireVersion: () => wireVersion,
    queuedBytes: () => 0,
  };
}
