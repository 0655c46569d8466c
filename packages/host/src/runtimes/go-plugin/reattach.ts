import { readFileSync } from 'node:fs';
import { PluginError } from '@x/contract';
import type { ExitInfo } from '../../core/connection.js';
import type { GoPluginOptions } from '../../options/go-plugin-options.js';
import type { GoHandshake } from './handshake.js';

/** How often a reattached plugin's pid is checked: go-plugin's own client polls its pid every second. */
const PID_POLL_MS = 250;

/** A go-plugin server the host did not start: what the connection needs of it. */
export interface AttachedPlugin {
  readonly pid: number;
  readonly handshake: GoHandshake;
  /** Settles when its pid is gone (it exited, or was killed by whoever started it). */
  readonly exited: Promise<ExitInfo>;
  /** Stops watching it; never signals it: the host ends only what it started. */
  detach(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: a process of another user, but there.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // A killed process whose parent has not reaped it yet is a zombie: it serves nothing.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): signal 0 is all there is
  }
}

/**
 * go-plugin's ReattachConfig: takes a running plugin's address and pid instead of starting it. The
 * pid must be alive now; from then on it is polled, so that its exit fails calls and is reported
 * like a crash (the supervisor cannot restart it: nothing here knows how to start it).
 */
export function attachGoPlugin(
  plugin: string,
  reattach: NonNullable<GoPluginOptions['reattach']>,
  offered: readonly number[],
): AttachedPlugin {
  const version = reattach.protocolVersion ?? (offered.length === 1 ? offered[0] : undefined);
  if (version === undefined || !offered.includes(version)) {
    throw new PluginError({
      code: 'ERR_PLUGIN_OPTIONS',
      plugin,
      what: `The "reattach" option of plugin "${plugin}" does not say which app protocol version the running plugin serves.`,
      why:
        version === undefined
          ? `The host offers ${offered.join(', ')} (the versions option), and a running plugin cannot be asked.`
          : `It says ${version}, which the host does not offer (${offered.join(', ')}).`,
      fix: "Pass reattach.protocolVersion: the second field of the plugin's handshake line.",
      details: { option: 'reattach.protocolVersion', offered },
    });
  }
  if (!alive(reattach.pid)) {
    throw new PluginError({
      code: 'ERR_PLUGIN_LOAD',
      plugin,
      what: `Plugin "${plugin}" could not be reattached: no process ${reattach.pid} is running.`,
      why: 'The reattach option names a plugin that is already running, and that pid is gone.',
      fix: 'Start the plugin again and pass the pid and address of its handshake line, or load it without reattach so that the host starts it.',
      details: { option: 'reattach', pid: reattach.pid },
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<ExitInfo>((done) => {
    timer = setInterval(() => {
      if (alive(reattach.pid)) return;
      clearInterval(timer);
      done({ code: null, signal: null });
    }, PID_POLL_MS);
    // Watching must not keep the host's event loop alive on its own.
    timer.unref();
  });
  return {
    pid: reattach.pid,
    handshake: { appProtocolVersion: version, network: reattach.network, address: reattach.address },
    exited,
    detach: () => clearInterval(timer),
  };
}
