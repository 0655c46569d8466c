import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchPieces, encodeFrame, FrameDecoder, frameCodec, framePieces } from './frames.js';
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

describe('version 2 blobs', () => {
  const big = (n: number, fill: number) => new Uint8Array(n).fill(fill);

  it('send byte arrays of 64 KiB or more beside the body, as they are, and read them back exactly', () => {
    const image = big(100_000, 7);
    const tile = big(65_536, 9);
    const message = { id: 1, result: { image, tiles: [tile, new Uint8Array([1, 2])], n: -0 } };
    const pieces = framePieces(message);
    expect(Array.isArray(pieces)).toBe(true);
    // The caller's own arrays are written, not copies of them.
    expect((pieces as Uint8Array[]).slice(1)).toEqual([image, tile]);
    expect((pieces as Uint8Array[])[1]).toBe(image);
    for (const cuts of [[], [3], [5, 9, 70_000], [100_010, 100_011]]) {
      const { decoder, messages, problems } = collect();
      for (const chunk of chunked(concat(pieces as Uint8Array[]), cuts)) decoder.push(chunk);
      expect(problems).toEqual([]);
      expect(isDeepStrictEqual(messages, [message])).toBe(true);
      expect(Object.getPrototypeOf((messages[0] as typeof message).result.image)).toBe(Uint8Array.prototype);
    }
  });

  it('are read by a second copy of this package, whichever copy registered its extension last', async () => {
    // Two versions of @x/contract in one process share msgpackr, whose extensions are global: the
    // blob extension of the copy loaded last decodes for both (a query makes Vite load a new copy).
    const first = await import('./msgpack.js');
    const copy: string = './msgpack.js?second-copy';
    const second = (await import(copy)) as typeof first;
    expect(second.packMessage).not.toBe(first.packMessage);
    const message = { id: 3, result: { bytes: big(70_000, 5), small: new Uint8Array([1]) } };
    for (const [pack, unpack] of [
      [first, second],
      [second, first],
      [first, first],
    ] as const) {
      const blobs = new pack.BlobCollector();
      const body = pack.packMessage(message, 0, blobs);
      expect(blobs.blobs).toHaveLength(1);
      for (const owned of [true, false]) {
        const back = unpack.unpackMessage(Uint8Array.from(body), owned, concat(blobs.blobs));
        expect(isDeepStrictEqual(back, message)).toBe(true);
      }
    }
  });

  it('send a batch with blobs as one frame per message, and a batch without as one frame', () => {
    const withBlob = [
      { id: 1, result: big(70_000, 3) },
      { id: 2, result: 'small' },
    ];
    const plain = [{ id: 3 }, { id: 4 }];
    for (const [batch, frames] of [
      [withBlob, withBlob],
      [plain, [plain]],
    ] as const) {
      const pieces = batchPieces(batch);
      const { decoder, messages, problems } = collect();
      decoder.push(concat(Array.isArray(pieces) ? pieces : [pieces]));
      expect(problems).toEqual([]);
      expect(isDeepStrictEqual(messages, frames)).toBe(true);
    }
    // The codec the endpoint uses splits a batch, not a message whose value is an array.
    const one = frameCodec.encode({ id: 5, result: [big(70_000, 1), big(70_000, 2)] });
    const { decoder, messages } = collect();
    decoder.push(concat(Array.isArray(one) ? one : [one]));
    expect(messages).toHaveLength(1);
  });

  it('read into the buffers they ask for: a large frame lands in its own buffer, in place', () => {
    const message = { id: 6, result: { bytes: big(200_000, 4), tail: 'end' } };
    const after = { id: 7 };
    const wire = concat([encodeFrame(message), encodeFrame(after)]);
    const { decoder, messages, problems } = collect();
    const targets: Uint8Array[] = [];
    let at = 0;
    // A stream reading as much as each buffer holds, as a socket with `onread` does.
    while (at < wire.byteLength) {
      const target = decoder.readTarget(1000);
      targets.push(target);
      const n = Math.min(target.byteLength, wire.byteLength - at);
      target.set(wire.subarray(at, at + n));
      at += n;
      decoder.pushRead(n, target);
    }
    expect(problems).toEqual([]);
    expect(isDeepStrictEqual(messages, [message, after])).toBe(true);
    // After the first 1000 bytes, the rest of the 200 KB frame was read in one go, into its own buffer,
    // and the bytes handed over are a view of that buffer.
    expect(targets[1]!.byteLength).toBe(encodeFrame(message).byteLength - 1000);
    expect((messages[0] as typeof message).result.bytes.buffer).toBe(targets[1]!.buffer);
  });

  it('read small frames into one reused buffer, and never hand it out while a view of it is held', () => {
    const first = { id: 1, result: { bytes: big(100, 1) } };
    const second = { id: 2, result: 'x'.repeat(300) };
    const third = { id: 3, result: { bytes: big(50, 3) } };
    const wire = concat([encodeFrame(first), encodeFrame(second), encodeFrame(third)]);
    const split = encodeFrame(first).byteLength + 100; // the second frame is cut in two reads
    const { decoder, messages, problems } = collect();
    const read = (bytes: Uint8Array) => {
      const target = decoder.readTarget();
      target.set(bytes);
      decoder.pushRead(bytes.byteLength, target);
      return target;
    };
    const a = read(wire.subarray(0, split));
    const b = read(wire.subarray(split));
    // `a` held the start of the second frame when `b` was asked for: a different buffer.
    expect(b.buffer).not.toBe(a.buffer);
    const c = read(encodeFrame({ id: 4 }));
    expect(c).toBe(b); // nothing of `b`'s read was held
    c.fill(0xff); // the next read overwrites it: nothing decoded may be a view of it
    expect(problems).toEqual([]);
    expect(isDeepStrictEqual(messages, [first, second, third, { id: 4 }])).toBe(true);
    expect((messages[0] as typeof first).result.bytes.buffer).not.toBe(a.buffer);
  });

  it('skip a frame whose blob reference or body length does not fit it, and read the next one', () => {
    const good = encodeFrame({ id: 2 });
    const frame = encodeFrame({ id: 1, bytes: big(70_000, 1) });
    const view = new DataView(frame.buffer, frame.byteOffset);
    const bad = frame.slice();
    new DataView(bad.buffer).setUint32(4, view.getUint32(0) & 0x7fffffff, false); // body longer than the frame
    const { decoder, messages, problems, fatal } = collect();
    decoder.push(concat([bad, good]));
    expect(messages).toEqual([{ id: 2 }]);
    expect(problems).toHaveLength(1);
    expect(fatal).toEqual([]);
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
