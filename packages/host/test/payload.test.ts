import { MAX_FRAME_BYTES } from '@x/contract/frames';
import { describe, expect, it } from 'vitest';
import { collectingLogger, MODES, rejection } from './isolation-helpers.js';
import { useEchoHandles } from './wire-fixtures.js';

// Large payloads in protocol version 2: 64 MiB of bytes travels both ways; a message over the
// process frame limit (MAX_FRAME_BYTES) is refused at its sender with ERR_PLUGIN_PAYLOAD, blaming
// the side it came from, and the plugin goes on answering. Before version 2 a 64 MiB Uint8Array
// became ~600 MB of JSON and the call never settled.

const MiB = 1024 * 1024;
const { logger, lines } = collectingLogger();
const handles = useEchoHandles(MODES, logger);

describe.each(MODES)('%s plugin', (isolation) => {
  it('echoes a 64 MiB Uint8Array, byte for byte', async () => {
    const bytes = new Uint8Array(64 * MiB);
    for (let i = 0; i < bytes.length; i += 4093) bytes[i] = i % 251;
    const back = (await handles.get(isolation)!.call('echo', [{ bytes }])) as { bytes: Uint8Array };
    expect(Object.getPrototypeOf(back.bytes)).toBe(Uint8Array.prototype);
    expect(back.bytes.byteLength).toBe(64 * MiB);
    expect(Buffer.compare(back.bytes, bytes)).toBe(0);
    expect(bytes.byteLength).toBe(64 * MiB); // the caller's buffer is still its own (not transferred away)
  }, 60_000);
});

describe.each(MODES)('%s plugin, an argument the wire cannot carry', (isolation) => {
  it('is refused at the host, blaming the caller, and the plugin goes on', async () => {
    const handle = handles.get(isolation)!;
    const error = await rejection(handle.call('echo', [{ key: Symbol('not data') }]));
    expect(error.code).toBe('ERR_PLUGIN_PAYLOAD');
    expect(error.details).toMatchObject({ method: 'echo', side: 'host' });
    expect(error.message).toMatch(/arguments cannot be sent to another thread or process/);
    await expect(handle.call('echo', [{ still: 'answering' }])).resolves.toEqual({ still: 'answering' });
  });
});

describe('process plugin, over the frame limit', () => {
  it("refuses the host's own oversized argument at the host, and the plugin never sees it", async () => {
    const handle = handles.get('process')!;
    const error = await rejection(handle.call('echo', [{ bytes: new Uint8Array(MAX_FRAME_BYTES + 1) }]));
    expect(error.code).toBe('ERR_PLUGIN_PAYLOAD');
    expect(error.details).toMatchObject({ method: 'echo', side: 'host' });
    expect(error.message).toMatch(/arguments are too large/);
    expect(error.message).toMatch(new RegExp(`${MAX_FRAME_BYTES}-byte frame limit`));
    await expect(handle.call('echo', [{ still: 'answering' }])).resolves.toEqual({ still: 'answering' });
    expect(handle.restarts).toBe(0);
  }, 60_000);

  it('blames the plugin for an oversized result, and the plugin goes on', async () => {
    const handle = handles.get('process')!;
    const error = await rejection(handle.call('bytes', [MAX_FRAME_BYTES + 1]));
    expect(error.code).toBe('ERR_PLUGIN_PAYLOAD');
    expect(error.details).toMatchObject({ method: 'bytes', side: 'plugin' });
    expect(error.message).toMatch(/could not send the result of bytes\(\)/);
    await expect(handle.call('bytes', [3])).resolves.toEqual({ bytes: new Uint8Array([7, 7, 7]) });
    expect(handle.restarts).toBe(0);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  }, 60_000);
});
