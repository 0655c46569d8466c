import { type ConformanceProblem, PluginError } from '@x/contract';

// One constructor per failure the load path can hit, so every message keeps the same
// three parts (what happened, why, how to fix it) and the same wording everywhere.

export function notFound(plugin: string, why: string, fix?: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_NOT_FOUND',
    plugin,
    what: `Plugin not found: ${plugin}.`,
    why,
    fix: fix ?? `Install it (npm install ${plugin}), or pass the path to its folder.`,
  });
}

export function badManifest(plugin: string, field: string, why: string, fix: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_MANIFEST',
    plugin,
    what: `Plugin "${plugin}" has an invalid manifest: field "${field}" ${why}.`,
    why: 'The host reads the manifest in package.json before running any plugin code, and cannot go on without it.',
    fix,
    details: { field },
  });
}

export function loadFailed(plugin: string, entry: string, cause: unknown, fix: string): PluginError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PluginError({
    code: 'ERR_PLUGIN_LOAD',
    plugin,
    what: `Plugin "${plugin}" failed to load from ${entry}.`,
    why: `Importing it threw: ${reason}`,
    fix,
    cause,
    details: { entry },
  });
}

export function contractMismatch(
  plugin: string,
  contract: string,
  problems: readonly ConformanceProblem[],
  fix: string,
): PluginError {
  const list = problems.map((p) => `${p.member} should be ${p.expected} but is ${p.actual}`).join('; ');
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin,
    what: `Plugin "${plugin}" does not implement the "${contract}" contract.`,
    why: `${list}.`,
    fix,
    details: { contract, problems },
  });
}

export function closed(plugin: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CLOSED',
    plugin,
    what: `Plugin "${plugin}" is closed.`,
    why: 'close() was called on its handle, so it no longer answers calls.',
    fix: 'Load it again with host.load() to call it.',
  });
}

// Isolated plugins (src/runtimes, src/core/supervisor.ts): handshake, start, crash.

export function handshakeFailed(
  plugin: string,
  hostVersions: readonly number[],
  pluginVersion: number,
  pluginVersions: readonly number[],
): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_HANDSHAKE',
    plugin,
    what: `Plugin "${plugin}" answered the handshake with protocol version ${pluginVersion}.`,
    why: `The host speaks protocol version(s) ${hostVersions.join(', ')}; the plugin speaks ${pluginVersions.join(', ') || pluginVersion}.`,
    fix: 'Install versions of @x/host and of the plugin (or its @x/sdk) that share a protocol version.',
    details: { hostVersions, pluginVersion, pluginVersions },
  });
}

export function badHandshake(plugin: string, problem: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_HANDSHAKE',
    plugin,
    what: `Plugin "${plugin}" sent a malformed handshake: ${problem}.`,
    why: 'The host needs the handshake (docs/protocol.md) to know the protocol version and what the plugin exports.',
    fix: 'Serve the plugin with @x/host or @x/sdk/serve, or fix the handshake of a plugin written by hand.',
    details: { problem },
  });
}

export function startTimedOut(
  plugin: string,
  isolation: string,
  ms: number,
  output: readonly string[],
): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_TIMEOUT',
    plugin,
    what: `Plugin "${plugin}" did not complete its handshake within ${ms} ms (isolation: ${isolation}).`,
    why: `Its code took too long to load${output.length > 0 ? `; its last stderr lines: ${output.join(' | ')}` : '.'}`,
    fix: 'Raise the startTimeout load option, or make the plugin do less when it is imported.',
    details: { timeout: ms, isolation },
  });
}

export function exitedEarly(plugin: string, how: string, output: readonly string[]): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_LOAD',
    plugin,
    what: `Plugin "${plugin}" ended before its handshake (${how}).`,
    why: output.length > 0 ? `Its last stderr lines: ${output.join(' | ')}` : 'It wrote nothing to stderr.',
    fix: 'Run the plugin in-process to see its error, or fix what it does when it is imported.',
    details: { how },
  });
}

export function crashed(
  plugin: string,
  how: string,
  output: readonly string[],
  cause?: unknown,
): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CRASHED',
    plugin,
    what: `Plugin "${plugin}" crashed (${how}).`,
    why: output.length > 0 ? `Its last stderr lines: ${output.join(' | ')}` : 'Calls in flight were lost.',
    fix: 'Retry the call: the host restarts a crashed plugin. Report the crash to the plugin author if it repeats.',
    cause,
    details: { how },
  });
}

export function stoppedAfterCrashes(plugin: string, crashes: number, windowMs: number): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CRASHED',
    plugin,
    what: `Plugin "${plugin}" was stopped after crashing ${crashes} times within ${Math.round(windowMs / 1000)} s.`,
    why: 'The restart policy gives up on a plugin that keeps crashing, so that it cannot hog the host.',
    fix: 'Fix the plugin (see the crash reports in the host log), then load it again.',
    details: { crashes, windowMs },
  });
}

/** The program of xPlugin.command does not exist. */
export function commandNotFound(plugin: string, program: string, where: string, fix: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_LOAD',
    plugin,
    what: `Plugin "${plugin}" could not be started: its program "${program}" was not found.`,
    why: `xPlugin.command names it, and it is not ${where}.`,
    fix,
    details: { program },
  });
}

// Integrity and permissions (docs/security.md).

export function integrityMismatch(
  plugin: string,
  expected: string,
  actual: string,
  why: string,
  fix: string,
): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_INTEGRITY',
    plugin,
    what: `Plugin "${plugin}" failed its integrity check: expected ${expected}, found ${actual}.`,
    why,
    fix,
    details: { expected, actual },
  });
}

export function permissionDenied(
  plugin: string,
  method: string,
  api: string | undefined,
  cause: unknown,
): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_PERMISSION',
    plugin,
    what: `Plugin "${plugin}" was refused ${api === undefined ? 'an operation' : api} in ${method}().`,
    why: "It runs under Node's permission model, and this reaches past the permissions the host granted it.",
    fix: 'Grant it (xPlugin.permissions in the plugin\'s package.json with permissions: "manifest", or an explicit permissions load option) if the plugin needs it, or report the plugin if it should not.',
    cause,
    details: { method, api },
  });
}

export function permissionsNeedProcess(plugin: string, isolation: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_PERMISSION',
    plugin,
    what: `Plugin "${plugin}" cannot run with restricted permissions in isolation "${isolation}".`,
    why: "Node's permission model applies to a whole process, so only a plugin in its own process can have fewer rights than the host.",
    fix: 'Load it with isolation: "process", or with permissions: false to run it with the host\'s full rights.',
    details: { isolation },
  });
}

// Backpressure (docs/reliability.md).

export function busy(
  plugin: string,
  method: string,
  why: string,
  limit: 'maxPendingCalls' | 'maxQueuedBytes',
  details: Readonly<Record<string, unknown>>,
): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_BUSY',
    plugin,
    what: `Plugin "${plugin}" refused a call to ${method}(): too much is waiting on it.`,
    why,
    fix: `Wait for calls in flight to settle (or give calls a timeout, so that a stuck plugin is noticed and restarted), or raise the ${limit} load option.`,
    details: { method, limit, ...details },
  });
}

// The load itself ended from outside: its AbortSignal fired, or host.close() was called.

/** The reason a load's signal gives: the host's own ERR_PLUGIN_CLOSED as it is, else ERR_PLUGIN_ABORTED. */
export function loadAborted(plugin: string, signal: AbortSignal | undefined): PluginError {
  const reason = signal?.reason as unknown;
  if (PluginError.isInstance(reason)) return reason;
  return new PluginError({
    code: 'ERR_PLUGIN_ABORTED',
    plugin,
    what: `Loading plugin "${plugin}" was aborted by the caller.`,
    why: 'The signal load option fired before the plugin was ready; whatever had started was stopped.',
    fix: 'Nothing to fix if the abort was meant; otherwise find what aborts the signal passed to load().',
    cause: reason,
  });
}

/** host.close() was called while this plugin was still loading. */
export function closedDuringLoad(plugin: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CLOSED',
    plugin,
    what: `Plugin "${plugin}" was not loaded: its host was closed while it loaded.`,
    why: 'host.close() ends every plugin of the host, including those still starting; whatever had started was stopped.',
    fix: 'Load it from a host that is not closed (createHost() again).',
  });
}
