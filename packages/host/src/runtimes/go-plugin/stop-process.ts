import { killTagged } from '../../core/reaper.js';
import { settlesWithin } from '../../core/settles-within.js';
import type { Logger } from '../../logger.js';
import { type GoProcess, killGroup, removeTmpDir, untrack } from './start-process.js';

/** How long each step of close() waits for the plugin to exit before the next, harder one. */
export const CLOSE_GRACE_MS = 2_000;

/** Whether the plugin exits within `ms`. */
export function exitedWithin(proc: GoProcess, ms: number): Promise<boolean> {
  return settlesWithin(proc.exited, ms);
}

/**
 * Ends a go-plugin process as go-plugin's client.Kill() does, then harder: the GRPCController's
 * Shutdown, then SIGTERM, then SIGKILL, each after a grace period. Then it removes the socket
 * (only inside the TMPDIR the host made) and that folder once empty, and checks that the pid is gone.
 */
export async function stopGoProcess(
  proc: GoProcess,
  plugin: string,
  logger: Logger,
  shutdown: (() => Promise<unknown>) | undefined,
): Promise<void> {
  const wasAlive = !proc.hasExited();
  if (wasAlive && shutdown !== undefined) await shutdown().catch(() => undefined);
  if (!(await exitedWithin(proc, CLOSE_GRACE_MS))) {
    killGroup(proc.child, 'SIGTERM');
    if (!(await exitedWithin(proc, CLOSE_GRACE_MS))) {
      logger.log('warn', 'did not exit on SIGTERM; killing it', { plugin, pid: proc.pid });
      killGroup(proc.child, 'SIGKILL');
      await proc.exited;
    }
  }
  // Anything the plugin started itself shares its process group: end it too. Only right after
  // the leader's exit, while no other group can have taken its id.
  if (wasAlive) killGroup(proc.child, 'SIGKILL');
  // And what left its group (a detached grandchild), by the tag it inherited.
  await killTagged(proc.tag);
  untrack(proc);
  removeTmpDir(proc.tmpDir, proc.handshake.network === 'unix' ? proc.handshake.address : undefined);
  try {
    process.kill(proc.pid, 0);
    logger.log('error', 'process is still there after close()', { plugin, pid: proc.pid });
  } catch {
    // ESRCH: gone, as it should be.
  }
}
