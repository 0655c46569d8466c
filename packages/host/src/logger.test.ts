import { afterEach, describe, expect, it, vi } from 'vitest';
import { stderrLogger } from './logger.js';

// What reaches the terminal: the real logger's writes, caught at process.stderr.
function written(run: () => void): string {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

afterEach(() => vi.unstubAllEnvs());

describe('stderrLogger', () => {
  it('writes [plugin] level: message, one line', () => {
    expect(written(() => stderrLogger.log('warn', 'slow start', { plugin: 'english' }))).toBe(
      '[english] warn: slow start\n',
    );
    expect(written(() => stderrLogger.log('info', 'hello'))).toBe('hello\n');
  });

  it('escapes control characters in the tag and the message; a newline cannot forge a line', () => {
    const text = written(() =>
      stderrLogger.log('info', 'a\x1b[2J\rb\u009b\u202e\tc\n[other] forged', { plugin: 'x\x1b]0;t\x07' }),
    );
    expect(text).toBe('[x\\x1b]0;t\\x07] a\\x1b[2J\\rb\\x9b\\u202e\tc\\n[other] forged\n');
  });

  it('drops debug lines unless X_PLUGIN_DEBUG is set', () => {
    expect(written(() => stderrLogger.log('debug', 'x'))).toBe('');
    vi.stubEnv('X_PLUGIN_DEBUG', '1');
    expect(written(() => stderrLogger.log('debug', 'x'))).toBe('debug: x\n');
  });
});
