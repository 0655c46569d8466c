// Node 20's permission model restricts files, child processes, workers, addons, WASI, the
// inspector and process.binding(), but not signals: a sandboxed plugin could still
// process.kill() its host or any process of the same user, and process._debugProcess(pid) sends
// SIGUSR1, which opens a Node host's inspector, that is, runs code in the host with its full
// rights. This guard runs first in every sandboxed plugin process (preloaded with --require, so
// it covers the host's bootstrap and a plugin's own `server` script alike) and replaces the
// native routes, keeping the originals only in this closure, out of the plugin's reach.
//
// Allowed targets: the process itself, its own process group (by its own pid: the host starts
// it as a group leader), and children it started (only possible when childProcess is granted,
// which escapes the model anyway: a child can run kill(1)). Everything here is captured before
// any plugin code runs, and nothing a plugin can replace (Function.prototype.call, Set methods,
// process.pid) is consulted afterwards.

interface Permission {
  has(scope: string): boolean;
}
type RawKill = (pid: number, signal: number) => number;
interface ProcessInternals {
  permission?: Permission;
  _kill: RawKill;
  _debugProcess: (pid: number) => void;
}

const DENIED = 'Access to this API has been restricted';

/** Installs the guard when this process runs under the permission model; otherwise does nothing. */
export function guardSignals(): void {
  const proc = process as unknown as ProcessInternals;
  if (proc.permission === undefined) return;
  const apply = Reflect.apply;
  const captureStackTrace = Error.captureStackTrace;
  const { defineProperty } = Object;
  const setHas = Set.prototype.has;
  const setAdd = Set.prototype.add;
  const setDelete = Set.prototype.delete;
  const self = process.pid;
  const children = new Set<number>();
  const rawKill = proc._kill;

  /** Node's own ERR_ACCESS_DENIED shape, so the host reports it as ERR_PLUGIN_PERMISSION naming `api`. */
  const denied = (api: string, guard: (...args: never) => unknown): Error => {
    const error = new Error(DENIED) as Error & { code: string; permission: string };
    captureStackTrace(error, guard);
    const frames = String(error.stack)
      .split('\n')
      .slice(1)
      .filter((l) => !l.includes('node:internal/process/per_thread'));
    // A node: frame naming the API, as Node's own denials have (see deniedApi in access-denied.ts).
    const [mod, fn] = api.split('.');
    error.stack = [`Error: ${DENIED}`, `    at ${fn} (node:${mod}:1:1)`, ...frames].join('\n');
    error.code = 'ERR_ACCESS_DENIED';
    error.permission = 'Signal';
    return error;
  };

  const isTarget = (pid: unknown): pid is number =>
    typeof pid === 'number' &&
    pid === (pid | 0) &&
    (pid === self || pid === -self || apply(setHas, children, [pid]));

  // process.kill() validates its arguments, then calls process._kill(): guarding this one guards both.
  const guardedKill = function _kill(pid: unknown, signal: unknown): number {
    // Group 0 is "my process group": named by the process's own pid instead, which is the same
    // group when it leads one, and no group at all otherwise (never the host's).
    const target = pid === 0 ? -self : pid;
    if (!isTarget(target) || typeof signal !== 'number') throw denied('process.kill', guardedKill);
    return apply(rawKill, process, [target, signal]);
  };
  const refuseDebug = function _debugProcess(): never {
    throw denied('process._debugProcess', refuseDebug);
  };
  const fixed = (object: object, key: string, value: unknown) =>
    defineProperty(object, key, { value, writable: false, configurable: false, enumerable: false });
  fixed(process, '_kill', guardedKill);
  fixed(process, '_debugProcess', refuseDebug);

  // os.setPriority(pid) renices another process of the same user (the host): itself only.
  const os = require('node:os') as typeof import('node:os');
  const rawSetPriority = os.setPriority;
  const setPriority = function setPriority(pid: unknown, priority?: unknown): unknown {
    if (priority === undefined) return apply(rawSetPriority, os, [pid]);
    if (pid !== 0 && pid !== self) throw denied('os.setPriority', setPriority);
    return apply(rawSetPriority, os, [pid, priority]);
  };
  os.setPriority = setPriority as typeof os.setPriority;

  if (proc.permission.has('child')) {
    const { ChildProcess } = require('node:child_process') as typeof import('node:child_process');
    const spawn = (ChildProcess.prototype as unknown as { spawn: (...args: unknown[]) => unknown }).spawn;
    defineProperty(ChildProcess.prototype, 'spawn', {
      value: function (this: import('node:child_process').ChildProcess, ...args: unknown[]) {
        const result = apply(spawn, this, args);
        const pid = this.pid;
        if (typeof pid === 'number') {
          apply(setAdd, children, [pid]);
          this.once('exit', () => apply(setDelete, children, [pid]));
        }
        return result;
      },
      writable: true,
      configurable: true,
    });
  }
  // `import { kill } from 'node:process'` and `import { setPriority } from 'node:os'` are
  // snapshots of the CommonJS exports: refresh them, or they would keep the unguarded functions.
  (require('node:module') as typeof import('node:module')).syncBuiltinESMExports();
}
