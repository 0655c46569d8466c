import { escapeControl } from './escape-control.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where the host sends its own messages and the lines it forwards from isolated plugins. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/**
 * Writes `[plugin] message` lines to stderr, so that stdout stays the application's. The plugin's
 * name and the message are escaped (escape-control.ts): both come from the plugin, and a raw ESC,
 * \r or newline in them could repaint the terminal or forge a line tagged with another plugin.
 * Tabs are kept: they cannot move the cursor back.
 */
export const stderrLogger: Logger = {
  log(level, message, fields) {
    if (level === 'debug' && !process.env.X_PLUGIN_DEBUG) return;
    const tag = typeof fields?.plugin === 'string' ? `[${escapeControl(fields.plugin)}] ` : '';
    const text = escapeControl(String(message), { keep: '\t' });
    process.stderr.write(`${tag}${level === 'info' ? '' : `${level}: `}${text}\n`);
  },
};

export const silentLogger: Logger = { log() {} };
