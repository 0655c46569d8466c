import type { AnyContract } from '@x/contract';
import { RPC_ERRORS, RpcError, type RpcId, WIRE_METHODS } from '@x/contract/wire';
import { withDeadline } from '../../core/deadline.js';
import { describeExit } from '../../core/supervisor.js';
import { badHandshake, exitedEarly, startTimedOut } from '../../errors.js';
import type { PluginPackage } from '../../manifest.js';
import { DEFAULT_START_TIMEOUT_MS, type ResolvedLoadOptions } from '../../options/resolve-load-options.js';
import { initRemote } from '../../talkback/remote.js';
import { startProcess } from '../process/start-process.js';
import { startWorker } from '../worker/start-worker.js';
import { bootstrapPath } from '../x-protocol/bootstrap-path.js';
import type { Channel } from '../x-protocol/channel.js';
import { forwardLogs } from '../x-protocol/channel.js';
import { channelConnection } from '../x-protocol/channel-connection.js';
import { handshake } from '../x-protocol/handshake.js';
import { type Launched, protocolOffer } from '../x-protocol/start-isolated.js';
import { GROUP_METHODS, GROUP_OFFER_KEY } from './group-methods.js';
import { scopedEndpoint } from './scoped-endpoint.js';

/** How long a member's unload may take before the isolate is taken as hung and ended (with every member). */
const UNLOAD_TIMEOUT_MS = 2000;

/** One running group worker or process, and the members it serves. */
export interface GroupIsolate {
  /** False once it has ended, or is ending because its last member left: a new member needs a new isolate. */
  readonly usable: boolean;
  readonly exited: Channel['exited'];
  /**
   * Settles once the unloads under way are answered (or the isolate ended for want of an answer):
   * a member restarting after a hang found by its own health check must not join the hung isolate.
   */
  unloaded(): Promise<void>;
  /** Loads one more plugin into it; the member's connection kills only the member. */
  join(
    pkg: PluginPackage,
    entry: string,
    options: ResolvedLoadOptions,
    contract: AnyContract,
  ): Promise<Launched>;
}

/** What the isolate is started with: the first member's options (the others must match them). */
export interface GroupStart {
  readonly name: string;
  readonly isolation: 'worker' | 'process';
  readonly options: ResolvedLoadOptions;
}

/** Starts the host's bootstrap in group mode and waits for its group handshake. */
export async function startGroupIsolate(start: GroupStart): Promise<GroupIsolate> {
  const { name, isolation, options } = start;
  const label = `group "${name}"`;
  const timeout = options.startTimeout ?? DEFAULT_START_TIMEOUT_MS;
  const channelOptions = {
    plugin: label,
    script: bootstrapPath(),
    // A process bootstrap tells worker from process by its argv: it gets placeholders, read by no one.
    entry: '(group)',
    exportName: '(group)',
    offer: { ...protocolOffer(false), [GROUP_OFFER_KEY]: '1' },
    env: options.env,
    maxHeapMb: options.maxHeapMb,
    execArgv: [...options.execArgv],
    logger: options.logger,
  };
  const channel = isolation === 'worker' ? startWorker(channelOptions) : await startProcess(channelOptions);
  channel.ref();
  try {
    await groupHandshake(label, isolation, channel, timeout, options.signal);
  } catch (error) {
    await channel.kill();
    throw error;
  }
  channel.unref();
  return groupIsolate(label, isolation, channel);
}

function groupHandshake(
  label: string,
  isolation: string,
  channel: Channel,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const answer = new Promise<void>((resolve, reject) => {
    channel.endpoint.onNotification(WIRE_METHODS.handshake, (raw) => {
      const params = (raw ?? {}) as { protocolVersion?: unknown; group?: unknown };
      // Version 2 or 3, in that version's own framing (as any plugin's handshake must be).
      const framing = channel.wireVersion();
      const version = params.protocolVersion;
      if (
        params.group !== true ||
        (version !== 2 && version !== 3) ||
        (framing !== undefined && framing !== version)
      ) {
        reject(
          badHandshake(
            label,
            "a group bootstrap must answer { protocolVersion: 2 or 3, group: true } in that version's framing",
          ),
        );
      } else resolve();
    });
    channel.exited.then((info) => reject(exitedEarly(label, describeExit(info), channel.recentOutput())));
  });
  return withDeadline(
    answer,
    timeoutMs,
    () => startTimedOut(label, isolation, timeoutMs, channel.recentOutput()),
    signal,
  );
}

function groupIsolate(label: string, isolation: string, channel: Channel): GroupIsolate {
  const shared = channel.endpoint;
  // Member ids are reused once their unload was answered, so that the shared endpoint's handler
  // tables stay as small as the group, however often members idle out and come back.
  const free: number[] = [];
  let nextId = 0;
  const members = new Set<number>();
  const cancelled = new Map<number, (id: RpcId) => void>();
  // Plugin → host requests (x/host#m) are cancelled by the shared id: each member looks for it.
  shared.onCancelled((id) => {
    for (const listener of cancelled.values()) listener(id);
  });
  let joining = 0;
  let ending = false;
  const unloading = new Set<Promise<void>>();
  // One end for the whole isolate, however many members ask for it at once (a process's end scans
  // /proc for what it left behind: once, not once per member).
  let killing: Promise<void> | undefined;
  const kill = () => {
    ending = true;
    killing ??= channel.kill();
    return killing;
  };
  let holders = 0;
  const hold = () => {
    if (holders++ === 0) channel.ref();
  };
  const release = () => {
    if (--holders === 0) channel.unref();
  };
  channel.exited.then(() => {
    members.clear();
    cancelled.clear();
  });

  const leave = async (id: number, held: { value: boolean }) => {
    if (held.value) {
      held.value = false;
      release();
    }
    if (!members.delete(id)) return;
    cancelled.delete(id);
    // Ending already (or ended): this member's close settles once the isolate is gone.
    if (killing !== undefined) return killing;
    // Crashed: the last member to leave still ends what the isolate left behind (its children).
    if (channel.hasExited) return members.size === 0 ? kill() : undefined;
    if (members.size === 0 && joining === 0) {
      // The last member: the isolate ends with it (nothing of a group outlives its members).
      return kill();
    }
    hold();
    const request = shared.request(GROUP_METHODS.unload, { member: id });
    const answered = withDeadline(request.result, UNLOAD_TIMEOUT_MS, () => new Error('no answer'));
    // Settled (and forgotten) with the answer; no answer makes the isolate unusable at once, before
    // the kill below has even begun, so that no member joins it meanwhile.
    const settled: Promise<void> = answered.then(
      () => {
        unloading.delete(settled);
      },
      () => {
        ending = true;
        unloading.delete(settled);
      },
    );
    unloading.add(settled);
    try {
      await answered;
      free.push(id);
    } catch {
      // It does not answer: hung, and every member with it (the group's blast radius). Its exit
      // fails their calls as a crash, and their supervisors restart them in a new isolate.
      await kill();
    } finally {
      release();
    }
  };

  return {
    get usable() {
      return !ending && !channel.hasExited;
    },
    exited: channel.exited,
    async unloaded() {
      while (unloading.size > 0) await Promise.all(unloading);
    },
    async join(pkg, entry, options, contract) {
      const id = free.pop() ?? nextId++;
      members.add(id);
      joining++;
      const held = { value: true };
      hold();
      const endpoint = scopedEndpoint(shared, id, (listener) => cancelled.set(id, listener));
      forwardLogs(endpoint, { plugin: pkg.name, logger: options.logger });
      const member: Channel = {
        endpoint,
        get pid() {
          return channel.pid;
        },
        get threadId() {
          return channel.threadId;
        },
        exited: channel.exited,
        get hasExited() {
          return channel.hasExited;
        },
        kill: () => leave(id, held),
        ref: () => {
          if (held.value) return;
          held.value = true;
          hold();
        },
        unref: () => {
          if (!held.value) return;
          held.value = false;
          release();
        },
        recentOutput: () => channel.recentOutput(),
        queuedBytes: () => channel.queuedBytes(),
        wireVersion: () => channel.wireVersion(),
      };
      const timeout = options.startTimeout ?? DEFAULT_START_TIMEOUT_MS;
      try {
        // Listening for the member's handshake before asking for it.
        const handshaken = handshake(
          pkg.name,
          `${isolation}, ${label}`,
          entry,
          member,
          timeout,
          options.signal,
        );
        shared
          .request(GROUP_METHODS.load, { member: id, entry, export: pkg.manifest.export })
          .result.catch((error: unknown) => {
            // Answered only after the member's handshake; an error here is the bootstrap's own.
            if (!(RpcError.isInstance(error) && error.code === RPC_ERRORS.connectionClosed)) {
              options.logger.log('warn', `${label}: loading ${pkg.name} failed: ${String(error)}`, {
                plugin: pkg.name,
              });
            }
          });
        const params = await handshaken;
        const talkback = params.talkback === true;
        await initRemote(pkg.name, endpoint, contract, options, timeout, talkback, params.ready === true);
        const disposal = talkback
          ? { disposeTimeout: options.disposeTimeout, logger: options.logger }
          : undefined;
        joining--;
        return { connection: channelConnection(pkg.name, member, disposal), shape: params.plugin! };
      } catch (error) {
        joining--;
        await leave(id, held);
        throw error;
      }
    },
  };
}
