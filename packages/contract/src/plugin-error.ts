const MARKER = Symbol.for('x.plugin.error');

export type PluginErrorCode =
  | 'ERR_PLUGIN_NOT_FOUND'
  | 'ERR_PLUGIN_MANIFEST'
  | 'ERR_PLUGIN_INCOMPATIBLE'
  | 'ERR_PLUGIN_LOAD'
  | 'ERR_PLUGIN_CONTRACT'
  | 'ERR_PLUGIN_HANDSHAKE'
  | 'ERR_PLUGIN_TIMEOUT'
  | 'ERR_PLUGIN_CRASHED'
  | 'ERR_PLUGIN_INTEGRITY'
  | 'ERR_PLUGIN_CLOSED'
  | 'ERR_PLUGIN_CALL'
  | 'ERR_PLUGIN_PERMISSION'
  | 'ERR_PLUGIN_BUSY'
  | 'ERR_PLUGIN_ABORTED'
  | 'ERR_PLUGIN_OPTIONS'
  | 'ERR_PLUGIN_FLOOD'
  | 'ERR_PLUGIN_PAYLOAD'
  // Plugins that talk back (issue 13).
  | 'ERR_PLUGIN_HOST_FUNCTION'
  // Operations (issue 16): logged by the host, with the code in the log line's fields.
  | 'ERR_PLUGIN_UNRESPONSIVE'
  | 'ERR_PLUGIN_RELOAD'
  | 'ERR_PLUGIN_STALE';

export interface PluginErrorOptions {
  readonly code: PluginErrorCode;
  /** The plugin's package name, or the path or name it was asked for by. */
  readonly plugin: string;
  /** What happened. */
  readonly what: string;
  /** Why it happened. */
  readonly why: string;
  /** How to fix it. */
  readonly fix: string;
  readonly cause?: unknown;
  /** Machine-readable facts (ranges, versions, members) for `--json` output and scripts. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Every failure a plugin can cause. Recognise it with `PluginError.isInstance(e)`, which holds
 * across duplicate copies of this package, where `instanceof` does not.
 */
export class PluginError extends Error {
  readonly code: PluginErrorCode;
  readonly plugin: string;
  readonly what: string;
  readonly why: string;
  readonly fix: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor({ code, plugin, what, why, fix, cause, details }: PluginErrorOptions) {
    super(`${what} ${why} ${fix}`, cause === undefined ? undefined : { cause });
    this.name = 'PluginError';
    this.code = code;
    this.plugin = plugin;
    this.what = what;
    this.why = why;
    this.fix = fix;
    this.details = details ?? {};
    // The marker isInstance looks for: shared by every copy of this package, unlike the class.
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
  }

  static isInstance(value: unknown): value is PluginError {
    return typeof value === 'object' && value !== null && MARKER in value && value[MARKER] === true;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      plugin: this.plugin,
      message: this.message,
      what: this.what,
      why: this.why,
      fix: this.fix,
      details: this.details,
    };
  }
}
