import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PluginError } from '@x/contract';
import type { ExitInfo } from '../../core/connection.js';
import { withDeadline } from '../../core/deadline.js';
import { forgetOnExit, killOnExit } from '../../core/kill-on-exit.js';
import { forgetGroup, reapDir, reapGroup, runTag } from '../../core/reaper.js';
import { loadAborted } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { PluginPackage } from '../../manifest.js';
import { resolveCommand } from '../command/resolve-command.js';
import { forwardLines } from './forward-output.js';
import { type GoHandshake, parseHandshake } from './handshake.js';

export interface GoProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly handshake: GoHandshake;
  /** A folder of its own given to the plugin as TMPDIR, where go-plugin makes its socket; removed on close. */
  readonly tmpDir: string;
  /** The last lines the plugin wrote to stderr, for crash reports. */
  stderrTail(): readonly string[];
  /** Its run tag (reaper.ts): what it spawns carries it too, so close() finds that as well. */
  readonly tag: string;
  /** Settles when the process has exited (and been reaped). */
  readonly exited: Promise<ExitInfo>;
  hasExited(): boolean;
}

/** Forgets a process that close() has ended. */
export function untrack(proc: GoProcess): void {
  forgetOnExit(proc.pid);
  forgetGroup(proc.pid);
}

/** How many stderr lines to keep, to explain a plugin that dies before its handshake. */
const STDERR_TAIL = 20;

/**
 * Starts a go-plugin binary the way go-plugin's client does (magic cookie, PLUGIN_PROTOCOL_VERSIONS,
 * PLUGIN_MIN_PORT/MAX_PORT), reads its handshake line from stdout, and from then on forwards its
 * stdout and stderr to the logger. It runs as a process group leader so that close() can end any
 * process it starts too.
 */
export async function startGoProcess(
  pkg: PluginPackage,
  logger: Logger,
  startTimeout: number,
  passedEnv: Readonly<Record<string, string>>,
  signal?: AbortSignal,
  /** The app protocol versions offered (the versions load option), else the manifest's one. */
  offered: readonly number[] = [pkg.manifest.handshake!.protocolVersion],
  /** AutoMTLS: the host's certificate (PEM), offered to the plugin in PLUGIN_CLIENT_CERT. */
  clientCertPem?: string,
): Promise<GoProcess> {
  // Found as for any command plugin (relative to the package, or on the PATH), before anything starts.
  const [file, ...args] = resolveCommand(pkg) as [string, ...string[]];
  const handshake = pkg.manifest.handshake!;
  const tmpDir = mkdtempSync(join(tmpdir(), 'x-go-plugin-'));
  // go-plugin's SkipHostEnv, as for every other plugin: only what the host passes (env), plus the
  // handshake's own variables, never the host's process.env and its secrets.
  // Removed by the reaper if the host dies before close() removes it.
  reapDir(tmpDir);
  const run = runTag();
  const env: NodeJS.ProcessEnv = {
    ...passedEnv,
    [handshake.magicCookieKey]: handshake.magicCookieValue,
    // go-plugin's VersionedPlugins: the plugin picks the highest it serves and names it in its handshake.
    PLUGIN_PROTOCOL_VERSIONS: offered.join(','),
    PLUGIN_MIN_PORT: '10000',
    PLUGIN_MAX_PORT: '25000',
    TMPDIR: tmpDir,
    ...run.env,
  };
  // Only the certificate the host made itself: one passed in env would ask for TLS with a key the host lacks.
  delete env.PLUGIN_CLIENT_CERT;
  if (clientCertPem !== undefined) env.PLUGIN_CLIENT_CERT = clientCertPem;
  const child = spawn(file, args, { cwd: pkg.dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.on('error', (error) => logger.log('error', `process error: ${error.message}`, { plugin: pkg.name }));
  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((done) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      if (child.pid !== undefined) {
        forgetOnExit(child.pid);
        forgetGroup(child.pid);
      }
      done(exitInfo);
    });
  });
  const spawned = new Promise<void>((ok, fail) => {
    child.once('spawn', ok);
    child.once('error', fail);
  });
  const stderrTail: string[] = [];
  forwardLines(child.stderr!, logger, pkg.name, 'stderr', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
    return true;
  });
  // A plugin that failed its start is killed and reaped before the error is thrown, so that
  // nothing is left behind for the caller to clean.
  const cleanUp = async () => {
    if (exitInfo === undefined && child.pid !== undefined) {
      killGroup(child, 'SIGKILL');
      await exited;
    }
    if (child.pid !== undefined) forgetOnExit(child.pid);
    removeTmpDir(tmpDir, undefined);
  };
  try {
    await spawned;
    // go-plugin binaries do not notice their host going away: a host that exits without close()
    // must not leave them running.
    killOnExit(child.pid!, true);
    reapGroup(child.pid!);
  } catch (error) {
    await cleanUp();
    throw new PluginError({
      code: 'ERR_PLUGIN_LOAD',
      plugin: pkg.name,
      what: `Plugin "${pkg.name}" could not be started with ${JSON.stringify(pkg.manifest.command)}.`,
      why: (error as Error).message,
      fix: `Build the plugin's binary (${file}) and make it executable, or fix xPlugin.command.`,
      cause: error,
      details: { command: pkg.manifest.command },
    });
  }
  // go-plugin's first stdout line is the handshake; every later one is the plugin's own output.
  let onHandshake: (line: string) => void = () => {};
  const handshakeLine = new Promise<string>((ok) => {
    onHandshake = ok;
  });
  let seenHandshake = false;
  forwardLines(child.stdout!, logger, pkg.name, 'stdout', (line) => {
    if (seenHandshake) return true;
    seenHandshake = true;
    onHandshake(line);
    return false;
  });
  try {
    const line = await withDeadline(
      firstLine(pkg.name, handshakeLine, exited, () => stderrTail.join('\n')),
      startTimeout,
      () => handshakeTimedOut(pkg.name, startTimeout, stderrTail.join('\n')),
      signal,
      () => loadAborted(pkg.name, signal),
    );
    const parsed = parseHandshake(pkg.name, line, offered);
    return {
      child,
      pid: child.pid!,
      handshake: parsed,
      tmpDir,
      stderrTail: () => stderrTail,
      tag: run.tag,
      exited,
      hasExited: () => exitInfo !== undefined,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Signals the plugin's whole process group; it may already be gone. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * Removes what go-plugin leaves in the folder the host made for it (its unix socket, when the
 * handshake named one inside it), then the folder itself, and nothing else: a plugin that puts
 * anything else there, or names a socket elsewhere, never gets the host to delete it.
 */
export function removeTmpDir(tmpDir: string, socket: string | undefined): void {
  if (socket !== undefined && dirname(socket) === tmpDir) rmSync(socket, { force: true });
  try {
    rmdirSync(tmpDir);
  } catch {
    // Not empty (the plugin left files of its own) or already gone: left as it is.
  }
}

function handshakeTimedOut(plugin: string, timeout: number, stderr: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_TIMEOUT',
    plugin,
    what: `Plugin "${plugin}" did not answer the go-plugin handshake within ${timeout} ms.`,
    why: 'It started but printed no handshake line on stdout, so it is hung or is not a go-plugin server.',
    fix: 'Check that it calls plugin.Serve() with a GRPCServer, or raise the startTimeout option.',
    details: { timeout, stderr },
  });
}

function firstLine(
  plugin: string,
  line: Promise<string>,
  exited: Promise<ExitInfo>,
  stderr: () => string,
): Promise<string> {
  return new Promise<string>((resolveLine, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    line.then((l) => settle(() => resolveLine(l)));
    exited.then(({ code, signal }) => {
      // Let a last line already in the pipe win over the exit.
      setImmediate(() =>
        settle(() => {
          const tail = stderr();
          reject(
            new PluginError({
              code: 'ERR_PLUGIN_HANDSHAKE',
              plugin,
              what: `Plugin "${plugin}" exited (${signal ?? `code ${code}`}) before its go-plugin handshake.`,
              why: tail === '' ? 'It wrote nothing to stderr.' : `Its stderr ends with:\n${tail}`,
              fix: 'Check that xPlugin.handshake matches the HandshakeConfig the plugin was built with (the magic cookie and protocol version).',
              details: { code, signal, stderr: tail },
            }),
          );
        }),
      );
    });
  });
}
