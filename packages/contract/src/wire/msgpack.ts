// 'msgpackr/pack' is msgpackr's pure-JS build under Node's `import` condition (the package root's
// Node entry also loads `module` and probes for msgpackr-extract, the optional native string
// decoder, which costs a new isolate ~20 ms at start). Pure JS is what is measured and shipped.
import { addExtension, Packr, RESERVE_START_SPACE } from 'msgpackr/pack';

// The value encoding of protocol version 2 on byte streams: MessagePack through msgpackr, set up
// so that every value of the wire's data model (docs/protocol.md, "Values") comes back exactly as
// it went: bytes as standard `bin` (decoded as a plain Uint8Array with its own buffer, not a
// Node Buffer nor a view into the frame), Date as the standard timestamp extension, bigint as
// int64 or, beyond 64 bits, msgpackr's bigint extension, undefined as msgpackr's fixext.
// Plain MessagePack maps and arrays only (`useRecords: false`, no `moreTypes`), so that another
// language's standard library can read and write every message.
//
// Two values msgpackr cannot carry on its own are wrapped by `prepare` below before packing:
// -0 (msgpackr writes any integral number as an integer, and 0 === -0) and a string that is not
// well-formed UTF-16 (a lone surrogate: UTF-8 cannot hold it, and TextEncoder would turn it into
// U+FFFD without a word).

/** MessagePack extension type of -0 (no payload): `0x2d` is '-'. */
export const EXT_NEGATIVE_ZERO = 0x2d;
/** MessagePack extension type of a string with lone surrogates: its UTF-16 code units, little-endian. */
export const EXT_UTF16 = 0x57;

/**
 * MessagePack extension type of a large byte array sent beside the body (frames.ts, "blobs"): its
 * payload is two big-endian uint32, the offset and length of its bytes in the frame's blob area.
 */
export const EXT_BLOB = 0x4f;
/** Byte arrays at least this long travel beside the body, not inside it (not copied on the way out). */
export const BLOB_MIN_BYTES = 64 * 1024;

/** The blobs of the message being encoded, and where the next one goes. */
export class BlobCollector {
  readonly blobs: Uint8Array[] = [];
  bytes = 0;
  add(value: Uint8Array): BlobRef {
    const blob = new BlobRef(this.bytes, value.byteLength);
    this.blobs.push(value);
    this.bytes += value.byteLength;
    return blob;
  }
}

class BlobRef {
  constructor(
    readonly offset: number,
    readonly length: number,
  ) {}
}

/**
 * The blob area of the frame being decoded, set around one (synchronous) unpack. On globalThis, not
 * in this module: msgpackr's extensions are global to the msgpackr module, so with two copies of
 * this package loaded (two versions installed, or a bundle beside the package) the last copy's
 * unpack serves both, and it must find the area the decoding copy set. Found by the 64 MiB echo
 * test, which loads this file from src/ and from dist/: with a module variable, every blob frame
 * was skipped as broken and the call never settled.
 */
interface BlobArea {
  bytes: Uint8Array | undefined;
  owned: boolean;
}
const AREA_KEY = Symbol.for('@x/contract/wire/blob-area/v2');
const areas = globalThis as Record<symbol, BlobArea | undefined>;
areas[AREA_KEY] ??= { bytes: undefined, owned: false };
const blobArea: BlobArea = areas[AREA_KEY];

class NegativeZero {}
const NEGATIVE_ZERO = new NegativeZero();

class Utf16 {
  constructor(readonly text: string) {}
}

addExtension({
  Class: BlobRef,
  type: EXT_BLOB,
  pack: (value: BlobRef) => {
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, value.offset, false);
    view.setUint32(4, value.length, false);
    return bytes;
  },
  unpack: (bytes: Uint8Array) => {
    const area = blobArea.bytes;
    if (area === undefined || bytes.byteLength !== 8)
      throw new Error('a blob reference outside a blob frame');
    const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
    const offset = view.getUint32(0, false);
    const length = view.getUint32(4, false);
    if (offset + length > area.byteLength) throw new Error('a blob reference outside the frame');
    const blob = area.subarray(offset, offset + length);
    return blobArea.owned ? blob : blob.slice();
  },
});
addExtension({
  Class: NegativeZero,
  type: EXT_NEGATIVE_ZERO,
  pack: () => new Uint8Array(0),
  unpack: () => -0,
});
addExtension({
  Class: Utf16,
  type: EXT_UTF16,
  pack: (value: Utf16) => {
    const bytes = new Uint8Array(value.text.length * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < value.text.length; i++) view.setUint16(i * 2, value.text.charCodeAt(i), true);
    return bytes;
  },
  unpack: (bytes: Uint8Array) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let text = '';
    for (let i = 0; i + 1 < bytes.byteLength; i += 2) text += String.fromCharCode(view.getUint16(i, true));
    return text;
  },
});

const OPTIONS = {
  useRecords: false,
  moreTypes: false,
  mapsAsObjects: true,
  // A bigint beyond int64 uses msgpackr's extension (0x42) rather than throwing.
  useBigIntExtension: true,
  // int64/uint64 are what a bigint is written as, so they are read back as bigint.
  int64AsType: 'bigint',
} as const;

// bin values get their own ArrayBuffer: a view would pin the whole frame and expose its bytes.
const packr = new Packr({ ...OPTIONS, copyBuffers: true });
// For a frame that already owns its buffer (assembled from several reads: every large one), a
// view costs nothing and shows only this message's own bytes: the one copy of its binary data
// less (measured: a 64 MiB round trip over the pipe made two copies on the way in).
const viewr = new Packr({ ...OPTIONS, copyBuffers: false });

/** A view of a buffer that was transferred away (Node 20 has no ArrayBuffer.prototype.detached). */
function isDetached(view: Uint8Array): boolean {
  try {
    new Uint8Array(view.buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/** ES2024's String.prototype.isWellFormed (Node 20+), which the ES2023 lib does not declare. */
type WellFormed = string & { isWellFormed(): boolean };

const isPlain = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * The value with -0 and ill-formed strings wrapped for their extensions; the same object when
 * there is none (the usual case: nothing is copied). Copies on write, so the caller's value is
 * never changed. Walks plain objects and arrays only: msgpackr writes everything else itself.
 */
export function prepare(value: unknown, blobs?: BlobCollector): unknown {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? NEGATIVE_ZERO : value;
    case 'string':
      return (value as WellFormed).isWellFormed() ? value : new Utf16(value);
    case 'object': {
      if (value === null) return value;
      if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          const next = prepare(item, blobs);
          if (next !== item) {
            copy ??= value.slice();
            copy[i] = next;
          }
        }
        return copy ?? value;
      }
      if (value instanceof Uint8Array) {
        if (blobs !== undefined && value.byteLength >= BLOB_MIN_BYTES) return blobs.add(value);
        // msgpackr writes a detached array as zero bytes, where a worker's postMessage refuses it:
        // refused here too, with the message V8 gives there, so both isolations say the same.
        if (value.byteLength === 0 && isDetached(value)) {
          throw new TypeError('An ArrayBuffer is detached and could not be cloned.');
        }
        return value;
      }
      if (!isPlain(value)) return value;
      let copy: Record<string, unknown> | undefined;
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        const next = prepare(item, blobs);
        if (next !== item) {
          copy ??= { ...(value as Record<string, unknown>) };
          // defineProperty, not `=`: a "__proto__" key must stay a key, not set the prototype.
          Object.defineProperty(copy, key, {
            value: next,
            writable: true,
            enumerable: true,
            configurable: true,
          });
        }
      }
      return copy ?? value;
    }
    default:
      return value;
  }
}

/**
 * A new buffer of the kind msgpackr allocates: a Node Buffer where there is one (msgpackr writes
 * strings with its utf8Write), else a Uint8Array. A feature test, so this file stays runtime-free.
 */
const freshBuffer = (): Uint8Array => {
  const NodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } }).Buffer;
  return NodeBuffer === undefined ? new Uint8Array(8192) : NodeBuffer.allocUnsafeSlow(8192);
};

/** Above this, msgpackr's buffer is let go after the encode, so one large message is not kept alive. */
const KEEP_BUFFER_BYTES = 1024 * 1024;

/**
 * Encodes one message with `reserve` (< 256) free bytes before it, for a frame header. The result
 * is a view into msgpackr's buffer that later encodes never write over (msgpackr goes on after it,
 * or in a new buffer), so it can be written as it is, without a copy.
 */
export function packMessage(message: unknown, reserve = 0, blobs?: BlobCollector): Uint8Array {
  const bytes = packr.pack(prepare(message, blobs), reserve === 0 ? 0 : RESERVE_START_SPACE | reserve);
  if (bytes.byteLength > KEEP_BUFFER_BYTES) packr.useBuffer(freshBuffer());
  return bytes;
}

/**
 * Decodes one message; throws on bytes that are not one complete MessagePack value. `owned`: the
 * bytes are a buffer of their own (no other message's bytes in it), so binary values may be views.
 */
export function unpackMessage(bytes: Uint8Array, owned = false, blobs?: Uint8Array): unknown {
  blobArea.bytes = blobs;
  blobArea.owned = owned;
  try {
    return (owned ? viewr : packr).unpack(bytes);
  } finally {
    blobArea.bytes = undefined;
  }
}
