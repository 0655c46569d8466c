import type { Readable } from 'node:stream';
import type { Logger, LogLevel } from '../../logger.js';
import { readLines } from '../x-protocol/channel.js';

const HCLOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
};

/**
 * Turns one line a go-plugin plugin wrote into a log record. go-plugin servers log with hclog as
 * JSON (`{"@level":"info","@message":"...","@module":"...",...}`): such a line keeps its level,
 * message and fields, as go-plugin's own client does; any other line is forwarded as it is.
 */
export function parseOutputLine(
  line: string,
  fallback: LogLevel,
): { level: LogLevel; message: string; fields: Record<string, unknown> } {
  if (line.startsWith('{')) {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (typeof entry['@message'] === 'string') {
        const { '@level': level, '@message': message, '@timestamp': _time, ...fields } = entry;
        return { level: HCLOG_LEVELS[String(level)] ?? fallback, message, fields };
      }
    } catch {
      // Not JSON after all: forward the raw line below.
    }
  }
  return { level: fallback, message: line, fields: {} };
}

/** Forwards every line of a plugin's stream to the host's logger, tagged with the plugin's name. */
export function forwardLines(
  stream: Readable,
  logger: Logger,
  plugin: string,
  name: 'stdout' | 'stderr',
  /** Sees each line first; returning false keeps it from the logger. */
  onLine?: (line: string) => boolean,
): void {
  const emit = (line: string) => {
    if (onLine?.(line) === false) return;
    const { level, message, fields } = parseOutputLine(line, 'info');
    logger.log(level, message, { ...fields, plugin, stream: name });
  };
  // As for Node plugins: capped line by line.
  readLines(stream, emit);
}
