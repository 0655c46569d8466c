import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../../core/connection.js';
import type { CpuProfile } from '../worker/profile-worker.js';

/**
 * profileOnHang for process plugins. A hung process's main thread cannot answer anything, and
 * opening its inspector from outside (SIGUSR1) would bind a debugging port any local user could
 * attach to. So the bootstrap starts, only when asked, a small agent worker inside the plugin's
 * process: it listens on a unix socket (a named pipe on Windows) in a private 0700 folder of its
 * own, and on request profiles the main thread through `inspector.Session.connectToMainThread()`,
 * whose messages Node dispatches with V8's RequestInterrupt, so they run inside the busy loop.
 * The worker has its own event loop, so it answers while the main thread hangs.
 */
export const PROFILE_SOCKET_KEY = 'X_PLUGIN_PROFILE_SOCKET';

// Each process connection's agent socket, for the profiler (the Connection interface stays as is).
const sockets = new WeakMap<Connection, string>();

/** A fresh socket path for one process, and how to remove it once the process has ended. */
export function agentSocket(): { path: string; remove: () => void } {
  if (process.platform === 'win32') {
    const path = `\\\\.\\pipe\\x-plugin-prof-${process.pid}-${Math.random().toString(36).slice(2)}`;
    return { path, remove: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'x-plugin-prof-'));
  return { path: join(dir, 'agent.sock'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function rememberAgent(c: Connection, path: string): void {
  sockets.set(c, path);
}

/** Asks the plugin's agent for a CPU profile of its main thread, `durationMs` long. */
export function profileProcess(c: Connection, durationMs: number): Promise<CpuProfile> {
  const path = sockets.get(c);
  if (path === undefined)
    return Promise.reject(new Error('the plugin was started without its profile agent'));
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`its profile agent did not answer within ${durationMs + 5000} ms`));
    }, durationMs + 5000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`its profile agent cannot be reached (${error.message})`));
    });
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CpuProfile & { error?: string };
        if (answer.error !== undefined) reject(new Error(answer.error));
        else resolve(answer);
      } catch (error) {
        reject(error);
      }
    });
    socket.write(`${durationMs}\n`);
  });
}
