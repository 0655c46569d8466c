import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from './frames.js';
import { encodeLines } from './ndjson.js';
import { RPC_ERRORS } from './rpc-error.js';
import { wireValue } from './wire-values.js';

function collect(max?: number) {
  const messages: unknown[] = [];
  const problems: string[] = [];
  const fatal: string[] = [];
  const decoder = new FrameDecoder(
    { onMessage: (m) => messages.push(m), onProblem: (p) => problems.push(p), onFatal: (p) => fatal.push(p) },
    max,
  );
  return { decoder, messages, problems, fatal };
}

/** Cuts `bytes` at the given points (any sizes, empty chunks included). */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.byteLength + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, bytes.byteLength]) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  return out;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
};

describe('version 2 frames', () => {
  it('carry every value of the data model exactly, however the stream cuts them (property)', () => {
    fc.assert(
      fc.property(fc.array(wireValue, { minLength: 1, maxLength: 5 }), fc.array(fc.nat()), (values, cuts) => {
        const { decoder, messages, problems, fatal } = collect();
        for (const chunk of chunked(concat(values.map((v) => encodeFrame(v))), cuts)) decoder.push(chunk);
        expect(problems).toEqual([]);
        expect(fatal).toEqual([]);
        expect(messages).toHaveLength(values.length);
        for (let i = 0; i < values.length; i++) {
          if (!isDeepStrictEqual(messages[i], values[i])) {
            expect.fail(`value ${i} changed on the way: ${String(values[i])}`);
          }
        }
      }),
      { numRuns: Number(process.env.X_FIDELITY_RUNS ?? 300) },
    );
  });

  it('keep what msgpackr alone would lose: -0, lone surrogates, big bigints, bytes as Uint8Array', () => {
    const { decoder, messages } = collect();
    const value = {
      z: -0,
      s: 'a\ud800b',
      big: -(2n ** 200n),
      bytes: Buffer.from([1, 2]),
      d: new Date(Number.NaN),
    };
    decoder.push(encodeFrame(value));
    const out = messages[0] as typeof value;
    expect(Object.is(out.z, -0)).toBe(true);
    expect(out.s).toBe('a\ud800b');
    expect(out.big).toBe(-(2n ** 200n));
    // A Buffer arrives as a plain Uint8Array with its own buffer, as a structured clone gives it.
    expect(Object.getPrototypeOf(out.bytes)).toBe(Uint8Array.prototype);
    expect(out.bytes.buffer.byteLength).toBe(2);
    expect(Number.isNaN(out.d.getTime())).toBe(true);
    expect(value.z).toBe(-0); // the caller's value is not changed by the wrapping
  });

  it('write the 4-byte big-endian length, then the MessagePack body', () => {
    const frame = encodeFrame({ a: 1 });
    // msgpackr writes every object as a map16 (0xde), valid MessagePack that any reader takes.
    expect([...frame]).toEqual([0, 0, 0, 6, 0xde, 0, 1, 0xa1, 0x61, 0x01]);
  });

  it('skip a frame that is not MessagePack, and read the next one', () => {
    const { decoder, messages, problems } = collect();
    const garbage = new Uint8Array([0, 0, 0, 2, 0xc1, 0xc1]); // 0xc1 is never used in MessagePack
    decoder.push(concat([garbage, encodeFrame('after')]));
    expect(messages).toEqual(['after']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/not MessagePack/);
  });

  it('never throw on garbage, and hold no more than one frame (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const { decoder } = collect(256);
        for (const c of chunks) decoder.push(c);
        // Bounded: at most the limit plus its prefix and one chunk is ever kept.
      }),
    );
  });

  it('stop for good at a frame declared over the limit', () => {
    const { decoder, messages, fatal } = collect(1024);
    decoder.push(new Uint8Array([0, 0, 4, 1])); // 1025 bytes declared
    decoder.push(encodeFrame('never read'));
    expect(fatal).toEqual(['a frame declared 1025 bytes long, over the 1024-byte limit']);
    expect(messages).toEqual([]);
  });

  it('refuse to encode a message over the limit, with a coded error', () => {
    expect(() => encodeFrame(new Uint8Array(2000), 1024)).toThrow(
      expect.objectContaining({ code: RPC_ERRORS.messageTooLarge, data: { bytes: 2003, limit: 1024 } }),
    );
  });
});

describe('version 1 lines', () => {
  it('refuse to encode a line the other side would drop, instead of leaving its call waiting', () => {
    expect(() => encodeLines([{ text: 'x'.repeat(100) }], 50)).toThrow(
      expect.objectContaining({ code: RPC_ERRORS.messageTooLarge }),
    );
    expect(encodeLines([1, 2], 50)).toBe('1\n2\n');
  });
});

describe('version 2 on a port', () => {
  it('copies large bytes once and transfers the copy: the sender keeps its own buffer', async () => {
    const { MessageChannel } = await import('node:worker_threads');
    const { portEndpoint } = await import('./transports.js');
    const { port1, port2 } = new MessageChannel();
    const a = portEndpoint(port1, { version: 2 });
    const b = portEndpoint(port2, { version: 2 });
    const kept = new Uint8Array(256 * 1024).fill(9);
    b.onRequest('echo', (params) => params);
    const back = (await a.request('echo', { bytes: kept, small: new Uint8Array([1]) }).result) as {
      bytes: Uint8Array;
    };
    expect(kept.byteLength).toBe(256 * 1024); // not detached
    expect(back.bytes).not.toBe(kept);
    expect(Buffer.compare(back.bytes, kept)).toBe(0);
    port1.close();
  });
});
