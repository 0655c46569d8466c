import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { frameCodec } from '@x/contract/frames';
import { pipeWriter } from '@x/contract/node';
import { streamEndpoint } from '@x/contract/wire';
import { floodWatch } from '../../core/flood-watch.js';
import { forgetOnExit, killOnExit } from '../../core/kill-on-exit.js';
import { forgetGroup, killTagged, reapGroup, runTag } from '../../core/reaper.js';
import type { Channel, ChannelOptions, ExitInfo } from '../x-protocol/channel.js';
import { endpointOptions, forwardLogs, forwardOutput } from '../x-protocol/channel.js';
import { rpcSocket } from './rpc-socket.js';

/** How long close() lets a plugin process end on SIGTERM before it is killed. */
const KILL_GRACE_MS = 2000;
const GROUPS = process.platform !== 'win32';

/** Sends `signal` to the plugin's whole process group (the plugin and anything it spawned). */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(GROUPS ? -pid : pid, signal);
  } catch {
    // ESRCH: already gone, which is what we want.
  }
}

/** `node [flags] <script> <entry> <export>`, or the plugin's own command (a Python script, say). */
function spawnPlugin(
  file: string,
  args: readonly string[],
  options: ChannelOptions,
  runEnv: Record<string, string>,
  fd3: Socket | 'pipe',
): ReturnType<typeof spawn> {
  return spawn(file, args, {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe', fd3],
    // go-plugin's SkipHostEnv: the plugin sees only what the host passes, never the host's secrets.
    // The run tag last: what the plugin spawns inherits it, and the reaper finds it by it.
    env: { ...options.env, ...options.offer, ...runEnv },
    // Its own process group, so that close() can end whatever the plugin started too.
    detached: GROUPS,
    windowsHide: true,
  });
}

function commandLine(options: ChannelOptions): readonly string[] {
  if (options.command !== undefined) return options.command;
  const execArgv = [...(options.execArgv ?? [])];
  if (options.maxHeapMb !== undefined) execArgv.push(`--max-old-space-size=${options.maxHeapMb}`);
  return [process.execPath, ...execArgv, options.script, options.entry, options.exportName];
}

/**
 * Starts a plugin as `node <script>` (or its own command) with four pipes: stdin (unused), stdout
 * and stderr (forwarded to the logger) and fd 3, the dedicated RPC pipe (NDJSON in protocol version 1, binary frames in 2),
 * so a stray print can never break the protocol.
 */
export async function startProcess(options: ChannelOptions): Promise<Channel> {
  const [file, ...args] = commandLine(options);
  const run = runTag();
  // fd 3 is a socket the host made (rpc-socket.ts), read in place; where none can be made, a pipe.
  const own = await rpcSocket();
  let child: ReturnType<typeof spawn>;
  try {
    child = spawnPlugin(file!, args, options, run.env, own?.child ?? 'pipe');
  } finally {
    // The child has its own copy of fd 3 now (or none, if spawn threw): the host keeps only its end.
    own?.child.destroy();
  }
  const pipe = own?.host ?? (child.stdio[3] as Socket);
  const recent: string[] = [];
  forwardOutput(child.stdout!, 'stdout', options.plugin, options.logger);
  forwardOutput(child.stderr!, 'stderr', options.plugin, options.logger, recent);
  // Bytes, not text: version 2 frames are binary. 'peer': the plugin's first byte shows its
  // framing, and the host answers in kind. A frame over the limit leaves nothing readable after
  // it: the plugin broke the protocol, and is ended (its exit fails its calls as a crash).
  // A process sending requests in a tight loop and never reading the answers: killed at once.
  const flood = floodWatch(
    options.plugin,
    'process',
    () => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    },
    () => pipe.writableLength,
  );
  let wireVersion: 1 | 2 | 3 | undefined;
  // Small frames go out in one write(2) of their own, past the socket's write machinery (a few µs
  // a round trip); the pipe's fd is libuv's, on the handle (absent where there is none: Windows).
  const fd = (pipe as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  const endpoint = streamEndpoint(typeof fd === 'number' && fd >= 0 ? pipeWriter(pipe, fd) : pipe, {
    ...endpointOptions(options),
    onInbound: flood.onInbound,
    version: 'peer',
    frames: frameCodec,
    ...(own === undefined ? {} : { directReads: own.reads }),
    onPeerVersion: (v) => {
      wireVersion = v;
    },
    onFatal: (problem) => {
      options.logger.log('error', `Protocol: ${problem}; ending the plugin.`, {
        plugin: options.plugin,
        stream: 'rpc',
      });
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    },
  });
  flood.attach(endpoint);
  forwardLogs(endpoint, options);
  pipe.on('error', () => {}); // EPIPE after a crash: the exit handler reports it.
  let hasExited = false;
  let held = true;
  const exited = new Promise<ExitInfo>((resolve) => {
    const done = (info: ExitInfo) => {
      if (hasExited) return;
      hasExited = true;
      endpoint.close();
      if (child.pid !== undefined) {
        forgetOnExit(child.pid);
        forgetGroup(child.pid);
      }
      resolve(info);
    };
    child.once('exit', (code, signal) => done({ code, signal, error: flood.error }));
    child.once('error', (error) => done({ code: null, signal: null, error }));
  });
  if (child.pid !== undefined) {
    killOnExit(child.pid, GROUPS);
    if (GROUPS) reapGroup(child.pid);
  }
  const handles = [child, pipe, child.stdout as Socket, child.stderr as Socket];
  return {
    endpoint,
    pid: child.pid,
    exited,
    get hasExited() {
      return hasExited;
    },
    async kill() {
      const pid = child.pid;
      if (pid === undefined) return;
      if (!hasExited) {
        signalGroup(pid, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            signalGroup(pid, 'SIGKILL');
            resolve();
          }, KILL_GRACE_MS);
        });
        await Promise.race([exited, late]);
        clearTimeout(timer);
      }
      await exited;
      // The leader is gone; anything it left in its group goes too.
      if (GROUPS) signalGroup(pid, 'SIGKILL');
      // And what left the group (a detached grandchild), by its inherited tag.
      await killTagged(run.tag);
      pipe.destroy();
    },
    // Called around every call: only a change reaches libuv.
    ref: () => {
      if (held) return;
      held = true;
      for (const h of handles) h.ref();
    },
    unref: () => {
      if (!held) return;
      held = false;
      for (const h of handles) h.unref();
    },
    recentOutput: () => recent,
    wireVersion: () => wireVersion,
    queuedBytes: () => pipe.writableLength,
  };
}
