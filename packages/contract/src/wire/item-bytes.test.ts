import { describe, expect, it } from 'vitest';
import { itemBytes } from './item-bytes.js';

describe('itemBytes (the size a stream item costs of its bytes credit)', () => {
  it('is exact for bytes and strings, the items that are large', () => {
    expect(itemBytes(new Uint8Array(65_536))).toBe(65_536);
    expect(itemBytes(new Float64Array(10))).toBe(80);
    expect(itemBytes(new ArrayBuffer(3))).toBe(3);
    expect(itemBytes('abc')).toBe(6);
  });

  it('counts scalars as 16 bytes', () => {
    for (const v of [0, -1.5, true, null, undefined, 10n]) expect(itemBytes(v)).toBe(16);
  });

  it('walks arrays and objects two levels deep, and extrapolates past 32 entries', () => {
    expect(itemBytes({ chunk: new Uint8Array(1000), n: 1 })).toBe(16 + 16 + 1000 + 16 + 16);
    expect(itemBytes([new Uint8Array(1000), new Uint8Array(1000)])).toBe(16 + 2 * (16 + 1000));
    // 1,000 chunks of 1 KiB: 32 looked at, the rest taken to be alike.
    const many = Array.from({ length: 1000 }, () => new Uint8Array(1024));
    expect(itemBytes(many)).toBe(16 + 1000 * (16 + 1024));
    // Deeper than two levels counts as 64 bytes, whatever it holds.
    expect(itemBytes({ a: { b: { c: new Uint8Array(1_000_000) } } })).toBe(16 + 16 + 16 + 16 + 64);
  });

  it('never throws, for an object whose getter throws', () => {
    const hostile = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(itemBytes(hostile)).toBe(16);
  });
});
