import { packMessage, unpackMessage } from './msgpack.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import type { FrameCodec } from './transports.js';

// Framing of protocol version 2 on byte streams (a child process's fd 3): each frame is a 4-byte
// big-endian length, then that many bytes of one MessagePack value (a JSON-RPC message, or an
// array of them: a batch). The 4-byte prefix is written by hand because it is four bytes:
// msgpackr's own stream classes frame nothing (they rely on MessagePack being self-delimiting,
// which makes a reader parse every partial chunk again and cannot refuse an oversized message
// before it has arrived), and a length prefix is what any language reads with one call.

/** The largest frame either side sends or accepts, in bytes (the length prefix not counted). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/**
 * Frames one message (or batch). Throws an RpcError `messageTooLarge` when it is over `maxBytes`,
 * or whatever msgpackr throws for a value it cannot encode (a function, a symbol).
 */
export function encodeFrame(message: unknown, maxBytes = MAX_FRAME_BYTES): Uint8Array {
  // msgpackr leaves the 4 bytes of the prefix free before the body: no copy of the body.
  const frame = packMessage(message, 4);
  const length = frame.byteLength - 4;
  if (length > maxBytes) {
    throw new RpcError(
      RPC_ERRORS.messageTooLarge,
      `The message is ${length} bytes, over the ${maxBytes}-byte frame limit of protocol version 2.`,
      { bytes: length, limit: maxBytes },
    );
  }
  new DataView(frame.buffer, frame.byteOffset, 4).setUint32(0, length, false);
  return frame;
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

  constructor(
    private readonly events: FrameDecoderEvents,
    private readonly maxBytes = MAX_FRAME_BYTES,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.#dead || chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
    while (this.#buffered >= 4) {
      const length = this.#peekLength();
      if (length > this.maxBytes) {
        this.#die(`a frame declared ${length} bytes long, over the ${this.maxBytes}-byte limit`);
        return;
      }
      if (this.#buffered < 4 + length) return;
      const frame = this.#take(4 + length).subarray(4);
      this.#decode(frame);
      if (this.#dead) return;
    }
  }

  #decode(frame: Uint8Array): void {
    let message: unknown;
    try {
      // A plain Uint8Array view, not the stream's Buffer: msgpackr copies bytes out with the
      // source's own slice, and a Buffer's would hand the plugin a Buffer, not a Uint8Array.
      message = unpackMessage(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
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

/** What `streamEndpoint` needs to speak version 2 (passed in, so that `./wire` does not load msgpackr). */
export const frameCodec: FrameCodec = {
  encode: encodeFrame,
  decoder: (events, maxBytes) => new FrameDecoder(events, maxBytes),
};
