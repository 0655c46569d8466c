export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where the host sends its own messages and the lines it forwards from isolated plugins. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Writes `[plugin] message` lines to stderr, so that stdout stays the application's. */
export const stderrLogger: Logger = {
  log(level, message, fields) {
    if (level === 'debug' && !process.env.X_PLUGIN_DEBUG) return;
    const tag = typeof fields?.plugin === 'string' ? `[${fields.plugin}] ` : '';
    process.stderr.write(`${tag}${level === 'info' ? '' : `${level}: `}${message}\n`);
  },
};

export const silentLogger: Logger = { log() {} };
