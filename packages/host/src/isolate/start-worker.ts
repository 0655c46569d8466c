import { Worker } from 'node:worker_threads';
import { portEndpoint } from '@x/contract/wire';
import type { Channel, ChannelOptions, ExitInfo } from './channel.js';
import { endpointOptions, forwardLogs, forwardOutput } from './channel.js';

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
  let wireVersion: 1 | 2 | undefined;
  // 'peer': the plugin's first post (its handshake) shows its version; the host answers in kind.
  const endpoint = portEndpoint(worker, {
    ...endpointOptions(options),
    version: 'peer',
    onPeerVersion: (v) => {
      wireVersion = v;
    },
  });
  forwardLogs(endpoint, options);
  let hasExited = false;
  let held = true;
  let failure: Error | undefined;
  worker.on('error', (error) => {
    failure = error;
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
      if (!hasExited) await worker.terminate();
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
    },
    recentOutput: () => recent,
    wireVersion: () => wireVersion,
    queuedBytes: () => 0,
  };
}
