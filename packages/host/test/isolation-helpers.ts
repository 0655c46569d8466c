import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PluginError } from '@x/contract';
import { expect } from 'vitest';
import type { Logger, LogLevel } from '../src/index.js';

export const MODES = ['worker', 'process'] as const;

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A logger that keeps every line, to assert on forwarding and to learn plugin pids. */
export function collectingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { logger: { log: (level, message, fields = {}) => lines.push({ level, message, fields }) }, lines };
}

/** Every `pid=N` a plugin printed (fault fixtures print theirs at start), except the host's own. */
export function printedPids(lines: readonly LogLine[]): number[] {
  return lines
    .map((l) => /^pid=(\d+)$/.exec(l.message)?.[1])
    .filter((p): p is string => p !== undefined)
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/** Awaits a promise that must reject with a PluginError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(PluginError.isInstance(error), `expected a PluginError, got ${String(error)}`).toBe(true);
  return error as PluginError;
}

/** Whether a process runs: signal 0 finds it, and (on Linux) it is not a zombie awaiting its reaper. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  try {
    // An orphan killed after its parent died may wait as a zombie for a reaper that a container's
    // pid 1 is not: it runs nothing any more.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** OS threads of this process (Linux): a worker that was not terminated still holds one. */
export function threadCount(): number | undefined {
  try {
    return readdirSync('/proc/self/task').length;
  } catch {
    return undefined;
  }
}

/** Child-process handles (ProcessWrap, PipeWrap) this process still holds. */
export function processHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap' || r === 'PipeWrap').length;
}

export async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A snapshot of what runs now; `assertNothingLeft` checks that no plugin thread, process or pipe outlived it. */
export function snapshot(): { threads: number | undefined; handles: number } {
  return { threads: threadCount(), handles: processHandles() };
}

export async function assertNothingLeft(
  before: { threads: number | undefined; handles: number },
  pids: readonly number[],
): Promise<void> {
  await waitFor(() => pids.every((pid) => !isAlive(pid)));
  for (const pid of pids) expect(isAlive(pid), `plugin process ${pid} is still alive`).toBe(false);
  await waitFor(() => processHandles() <= before.handles);
  expect(processHandles()).toBeLessThanOrEqual(before.handles);
  if (before.threads !== undefined) {
    // A leaked worker holds an OS thread (callers warm libuv's pool first, see warmUp()).
    await waitFor(() => (threadCount() ?? 0) <= before.threads!);
    expect(threadCount()).toBeLessThanOrEqual(before.threads);
  }
}

/** Starts libuv's thread pool (all its threads at once), so that thread counts compare exactly. */
export async function warmUp(): Promise<void> {
  await readFile(import.meta.filename);
}
