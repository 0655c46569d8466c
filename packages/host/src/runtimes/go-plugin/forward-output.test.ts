import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { forwardLines, parseOutputLine } from './forward-output.js';

describe('parseOutputLine', () => {
  it('keeps the level, message and fields of an hclog JSON line', () => {
    const line = '{"@level":"warn","@message":"slow","@module":"go-greeter","@timestamp":"t","ms":12}';
    expect(parseOutputLine(line, 'info')).toEqual({
      level: 'warn',
      message: 'slow',
      fields: { '@module': 'go-greeter', ms: 12 },
    });
    expect(parseOutputLine('{"@level":"trace","@message":"x"}', 'info').level).toBe('debug');
  });

  it('forwards any other line as it is', () => {
    expect(parseOutputLine('panic: boom', 'info')).toEqual({
      level: 'info',
      message: 'panic: boom',
      fields: {},
    });
    expect(parseOutputLine('{not json', 'warn').message).toBe('{not json');
  });
});

describe('forwardLines', () => {
  it('tags each non-empty line with the plugin and stream', async () => {
    const stream = new PassThrough();
    const log = vi.fn();
    forwardLines(stream, { log }, 'go-greeter', 'stdout');
    stream.end('one\n\ntwo');
    await new Promise((done) => stream.on('end', done));
    await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(2));
    expect(log).toHaveBeenCalledWith('info', 'two', { plugin: 'go-greeter', stream: 'stdout' });
  });
});
