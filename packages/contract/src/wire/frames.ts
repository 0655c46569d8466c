import { BlobCollector, packMessage, unpackMessage } from './msgpack.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import type { FrameCodec } from './transports.js';

// Framing of protocol version 2 on byte streams (a child process's fd 3): each frame is a 4-byte
// big-endian length, then that many bytes of one MessagePack value (a JSON-RPC message, or an
// array of them: a batch), or, with the length's top bit set, a body length, the body and the
// large byte arrays it refers to (blobs: see HAS_BLOBS). The 4-byte prefix is written by hand because it is four bytes:
// msgpackr's own stream classes frame nothing (they rely on MessagePack being self-delimiting,
// which makes a reader parse every partial chunk again and cannot refuse an oversized message
// before it has arrived), and a length prefix is what any language reads with one call.

/** The largest frame either side sends or accepts, in bytes (the length prefix not counted). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/**
 * Set on the length prefix when the frame carries blobs: byte arrays of 64 KiB or more travel
 * after the body rather than inside it (each is then written as it is, not copied into the
 * encoder's buffer), the body refers to them by offset (extension 0x4f), and a uint32 with the
 * body's own length comes right after the prefix. Measured, 64 MiB round trips over the pipe:
 * four copies of the bytes became two, as for a raw echo (docs/protocol.md, "Blobs").
 */
const HAS_BLOBS = 0x80000000;
const LENGTH_MASK = 0x7fffffff;
/** A frame at least this long (a pipe's read size) is assembled as it arrives (#startPartial). */
const ASSEMBLE_MIN_BYTES = 64 * 1024;

/**
 * Frames one message (or batch). Throws an RpcError `messageTooLarge` when it is over `maxBytes`,
 * or whatever msgpackr throws for a value it cannot encode (a function, a symbol).
 */
export function framePieces(message: unknown, maxBytes = MAX_FRAME_BYTES): Uint8Array | Uint8Array[] {
  // msgpackr leaves 8 bytes free before the body (the prefix, and the body's length when there
  // are blobs): no copy of the body.
  const blobs = new BlobCollector();
  const packed = packMessage(message, 8, blobs);
  const bodyLength = packed.byteLength - 8;
  const withBlobs = blobs.blobs.length > 0;
  const length = withBlobs ? 4 + bodyLength + blobs.bytes : bodyLength;
  if (length > maxBytes) {
    throw new RpcError(
      RPC_ERRORS.messageTooLarge,
      `The message is ${length} bytes, over the ${maxBytes}-byte frame limit of protocol version 2.`,
      { bytes: length, limit: maxBytes },
    );
  }
  const view = new DataView(packed.buffer, packed.byteOffset, 8);
  if (!withBlobs) {
    view.setUint32(4, length, false);
    return packed.subarray(4);
  }
  view.setUint32(0, (HAS_BLOBS | length) >>> 0, false);
  view.setUint32(4, bodyLength, false);
  return [packed, ...blobs.blobs];
}

/**
 * A batch's frames: one frame for all, unless its messages carry blobs; then one frame each, so
 * that the other side can start on the first (a stream's item, a call) while the rest are still
 * in the pipe, rather than wait for megabytes of them to arrive before reading any. Measured: a
 * stream of 64 KiB chunks went in frames of 64 items (4 MiB), and both sides sat idle ~90% of the
 * time, the reader waiting for a whole frame, the writer for the credit that reading would give.
 */
export function batchPieces(
  messages: readonly unknown[],
  maxBytes = MAX_FRAME_BYTES,
): Uint8Array | Uint8Array[] {
  const whole = framePieces(messages, maxBytes);
  if (!Array.isArray(whole) || messages.length === 1) return whole;
  const out: Uint8Array[] = [];
  for (const message of messages) {
    const pieces = framePieces(message, maxBytes);
    if (Array.isArray(pieces)) out.push(...pieces);
    else out.push(pieces);
  }
  return out;
}

/** One frame as one byte array (its blobs, if any, joined after the body: a copy; the endpoint writes the pieces instead). */
export function encodeFrame(message: unknown, maxBytes = MAX_FRAME_BYTES): Uint8Array {
  const pieces = framePieces(message, maxBytes);
  if (!Array.isArray(pieces)) return pieces;
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export interface FrameDecoderEvents {
  /** One decoded message (or batch). */
  readonly onMessage: (message: unknown) => void;
  /** A frame whose body is not one MessagePack value: it is skipped, the next frame is read. */
  readonly onProblem: (problem: string) => void;
  /**
   * A frame declared longer than the limit: the stream cannot be trusted past it, so the decoder
   * stops reading for good and the owner should end the connection.
   */
  readonly onFatal: (problem: string) => void;
}

/**
 * Splits a byte stream into frames and decodes them. Never throws; holds at most one frame's
 * bytes (the limit) plus one chunk, and nothing at all after a fatal problem.
 */
export class FrameDecoder {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #dead = false;
  /** readTarget's reused read buffer, while no view of it is held (see pushRead). */
  #spare: Uint8Array | undefined;
  /** The large frame being assembled, once its first bytes are in (see #startPartial). */
  #partial: { bytes: Uint8Array; filled: number; prefix: number } | undefined;

  constructor(
    private readonly events: FrameDecoderEvents,
    private readonly maxBytes = MAX_FRAME_BYTES,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.#dead || chunk.byteLength === 0) return;
    let rest = chunk;
    const partial = this.#partial;
    if (partial !== undefined) {
      const used = Math.min(rest.byteLength, partial.bytes.byteLength - partial.filled);
      partial.bytes.set(rest.subarray(0, used), partial.filled);
      partial.filled += used;
      if (partial.filled < partial.bytes.byteLength) return;
      this.#partial = undefined;
      this.#frame(partial.bytes, partial.prefix, true);
      if (this.#dead || used === rest.byteLength) return;
      rest = rest.subarray(used);
    }
    this.#chunks.push(rest);
    this.#buffered += rest.byteLength;
    while (this.#buffered >= 4) {
      const prefix = this.#peekLength();
      const length = prefix & LENGTH_MASK;
      if (length > this.maxBytes) {
        this.#die(`a frame declared ${length} bytes long, over the ${this.maxBytes}-byte limit`);
        return;
      }
      if (this.#buffered < 4 + length) {
        if (4 + length >= ASSEMBLE_MIN_BYTES) this.#startPartial(4 + length, prefix);
        return;
      }
      const whole = this.#take(4 + length);
      // A frame assembled from several reads is a buffer of its own (#take made it).
      this.#frame(whole, prefix, whole.byteOffset === 0 && whole.buffer.byteLength === 4 + length);
      if (this.#dead) return;
    }
  }

  /**
   * Where the next read from the stream should land, for a stream that reads into a buffer it is
   * given (a net.Socket's `onread`): the rest of the large frame being assembled, so that its
   * bytes arrive in place with no copy at all (and in reads as large as what is left of it), or
   * else a fresh buffer of `size` bytes. Pair with `pushRead`.
   */
  readTarget(size = ASSEMBLE_MIN_BYTES): Uint8Array {
    const partial = this.#partial;
    if (partial !== undefined) return partial.bytes.subarray(partial.filled);
    // The same buffer read after read while nothing of its last read is kept (pushRead): a fresh
    // 64 KiB per read was the plugin's share of garbage collection in a process round trip (4-7%).
    if (size !== ASSEMBLE_MIN_BYTES) return uninitialized(size);
    this.#spare ??= spareBuffer();
    return this.#spare;
  }

  /** `n` bytes were read into `target`, a buffer `readTarget` gave. */
  pushRead(n: number, target: Uint8Array): void {
    const partial = this.#partial;
    if (
      partial !== undefined &&
      target.buffer === partial.bytes.buffer &&
      target.byteOffset === partial.bytes.byteOffset + partial.filled
    ) {
      partial.filled += n;
      if (partial.filled < partial.bytes.byteLength) return;
      this.#partial = undefined;
      this.#frame(partial.bytes, partial.prefix, true);
      return;
    }
    this.push(target.subarray(0, n));
    // The start of a frame is held in #chunks as a view of this read: the buffer is its now.
    if (target === this.#spare && this.#chunks.length > 0) this.#spare = undefined;
  }

  /**
   * A large frame that is not all here yet gets its own buffer now, and each later read is copied
   * into it as it arrives: the one copy a frame needs happens while the pipe still carries the
   * rest, not all at once after its last byte (which held a 64 MiB echo back by that copy, on
   * each side). The declared length is allocated at once: a peer can make this side hold one
   * frame of up to the limit, as it could by sending it.
   */
  #startPartial(size: number, prefix: number): void {
    const bytes = uninitialized(size);
    let filled = 0;
    for (const c of this.#chunks) {
      bytes.set(c, filled);
      filled += c.byteLength;
    }
    this.#chunks = [];
    this.#buffered = 0;
    this.#partial = { bytes, filled, prefix };
  }

  /** One whole frame, its 4-byte prefix included. */
  #frame(whole: Uint8Array, prefix: number, owned: boolean): void {
    const length = whole.byteLength - 4;
    if ((prefix & HAS_BLOBS) === 0) this.#decode(whole.subarray(4), owned);
    else this.#decodeWithBlobs(whole, length, owned);
  }

  #decodeWithBlobs(whole: Uint8Array, length: number, owned: boolean): void {
    const bodyLength =
      length < 4 ? -1 : new DataView(whole.buffer, whole.byteOffset + 4, 4).getUint32(0, false);
    if (bodyLength < 0 || bodyLength > length - 4) {
      this.events.onProblem(`a frame of ${length} bytes whose body length (${bodyLength}) does not fit it`);
      return;
    }
    this.#decode(whole.subarray(8, 8 + bodyLength), owned, whole.subarray(8 + bodyLength));
  }

  #decode(frame: Uint8Array, owned: boolean, blobs?: Uint8Array): void {
    let message: unknown;
    try {
      // A plain Uint8Array view, not the stream's Buffer: msgpackr copies bytes out with the
      // source's own slice, and a Buffer's would hand the plugin a Buffer, not a Uint8Array.
      const plain = (b: Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      message = unpackMessage(plain(frame), owned, blobs === undefined ? undefined : plain(blobs));
    } catch (error) {
      this.events.onProblem(
        `a frame of ${frame.byteLength} bytes that is not MessagePack (${error instanceof Error ? error.message : String(error)})`,
      );
      return;
    }
    this.events.onMessage(message);
  }

  #die(problem: string): void {
    this.#dead = true;
    this.#partial = undefined;
    this.#chunks = [];
    this.#buffered = 0;
    this.events.onFatal(problem);
  }

  #peekLength(): number {
    const first = this.#chunks[0]!;
    if (first.byteLength >= 4) {
      return new DataView(first.buffer, first.byteOffset, 4).getUint32(0, false);
    }
    const head = this.#copy(4);
    return new DataView(head.buffer).getUint32(0, false);
  }

  /** The first `n` buffered bytes, without consuming them. */
  #copy(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.#chunks) {
      const part = c.subarray(0, Math.min(c.byteLength, n - at));
      out.set(part, at);
      at += part.byteLength;
      if (at === n) break;
    }
    return out;
  }

  /** Consumes the first `n` buffered bytes (n ≤ buffered): a view when one chunk holds them all. */
  #take(n: number): Uint8Array {
    const first = this.#chunks[0]!;
    let out: Uint8Array;
    if (first.byteLength >= n) {
      out = first.subarray(0, n);
      if (first.byteLength === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      out = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const c = this.#chunks[0]!;
        const used = Math.min(c.byteLength, n - at);
        out.set(c.subarray(0, used), at);
        at += used;
        if (used === c.byteLength) this.#chunks.shift();
        else this.#chunks[0] = c.subarray(used);
      }
    }
    this.#buffered -= n;
    return out;
  }
}

/**
 * `size` bytes that are not zeroed first (a Node Buffer of its own where there is one: zeroing
 * was a third of the cost of taking in a 64 KiB stream item). Only ever decoded once every byte
 * was written over by the frame's own, so nothing of the memory's past shows. A feature test,
 * so this file stays runtime-free.
 */
/**
 * A read buffer that starts 16 bytes into its ArrayBuffer, so that no frame read into it is ever
 * taken for one that owns its buffer (push: offset 0, whole length): what is decoded from it is
 * copied out, never a view of a buffer that the next read overwrites.
 */
const spareBuffer = (): Uint8Array => uninitialized(ASSEMBLE_MIN_BYTES + 16).subarray(16);

const uninitialized = (size: number): Uint8Array => {
  const NodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } }).Buffer;
  return NodeBuffer === undefined ? new Uint8Array(size) : NodeBuffer.allocUnsafeSlow(size);
};

/** What `streamEndpoint` needs to speak version 2 (passed in, so that `./wire` does not load msgpackr). */
export const frameCodec: FrameCodec = {
  // A batch is an array of messages; a message is an object (JSON-RPC) or, in version 3, an
  // array led by its kind (a number): that one is a single message, not a batch of its elements.
  encode: (message, maxBytes) =>
    Array.isArray(message) && typeof message[0] !== 'number'
      ? batchPieces(message, maxBytes)
      : framePieces(message, maxBytes),
  decoder: (events, maxBytes) => new FrameDecoder(events, maxBytes),
};
