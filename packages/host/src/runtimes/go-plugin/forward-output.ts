import type { Readable } from 'node:stream';
import { LineDecoder } from '@x/contract/wire';
import type { Logger, LogLevel } from '../../logger.js';
import { MAX_OUTPUT_LINE } from '../x-protocol/channel.js';

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
  // The protocol's line decoder, as for Node plugins: its length cap keeps a plugin that prints
  // without newlines from growing the host's memory (readline has none); it skips blank lines.
  const lines = new LineDecoder(
    emit,
    () => emit(`(dropped a line longer than ${MAX_OUTPUT_LINE} characters)`),
    MAX_OUTPUT_LINE,
  );
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => lines.push(chunk));
  stream.on('end', () => lines.end());
}
