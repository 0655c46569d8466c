import { PluginError } from '@x/contract';

/** The plugin's own error from a method, as the caller sees it (a PluginError passes unchanged). */
export function callFailed(plugin: string, method: string, cause: unknown): PluginError {
  if (PluginError.isInstance(cause)) return cause;
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new PluginError({
    code: 'ERR_PLUGIN_CALL',
    plugin,
    what: `Plugin "${plugin}" threw from ${method}().`,
    why: reason,
    fix: "This is the plugin's own error; see its cause, and report it to the plugin's author if it is a bug.",
    cause,
    details: { method },
  });
}

/** A call that outlived its timeout (the call's own, else the callTimeout load option). */
export function timedOut(plugin: string, method: string, ms: number): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_TIMEOUT',
    plugin,
    what: `Plugin "${plugin}" did not answer ${method}() in time.`,
    why: `It took longer than ${ms} ms.`,
    fix: 'Raise the timeout (the timeout option, or --timeout), or find why the plugin hangs.',
    details: { method, timeout: ms },
  });
}

/**
 * A call the caller's AbortSignal ended: not the plugin's fault, so not a timeout either. The
 * signal's reason (AbortSignal.timeout() gives a TimeoutError) is kept as the cause.
 */
export function aborted(plugin: string, method: string, signal: AbortSignal): PluginError {
  const reason = signal.reason as unknown;
  const said = reason instanceof Error ? ` (${reason.name}: ${reason.message})` : '';
  return new PluginError({
    code: 'ERR_PLUGIN_ABORTED',
    plugin,
    what: `The call to ${method}() on plugin "${plugin}" was aborted by the caller.`,
    why: `Its AbortSignal fired${said} before the plugin answered; the plugin was told to stop.`,
    fix: 'Nothing to fix if the abort was meant; otherwise find what aborts the signal passed to the call.',
    cause: reason,
    details: { method },
  });
}
