import { isCompactValue } from './compact.js';
import { type EndpointOptions, RpcEndpoint } from './endpoint.js';
import { encodeLines, LineDecoder } from './ndjson.js';
import { withTransfers } from './transfer.js';

// The two transports of the wire protocol, written against structural types so that this package
// stays free of Node imports: a Node Worker, MessagePort or parentPort fits `PortLike`, a
// net.Socket fits `StreamLike`. Each speaks protocol version 1, 2 or 3 (docs/protocol.md):
//   port, v1: each post is one string, the JSON of a message or of a batch (an array);
//   port, v2: each post is the message or batch itself, as a structured clone;
//   stream, v1: newline-delimited JSON;
//   stream, v2: length-prefixed MessagePack frames (frames.ts);
//   v3: version 2's framing, each message in the compact envelope (compact.ts) instead of a
//   JSON-RPC object.
// A plugin knows its version before it sends anything (it chose it from the host's offer), so it
// speaks it from its first message. The host does not know it until the handshake, which comes in
// that very framing; so the host's side is `version: 'peer'`: it reads either (a v2 stream starts
// with a 0x00 byte, the high byte of a handshake frame's length, which no JSON text starts with;
// a v2 port posts objects, a v1 port strings; a v3 message is an array led by a number, a v3
// batch an array of arrays) and writes as the peer does. The host writes nothing before the
// handshake, so it never has to guess.

/** Which version a transport speaks: 1, 2, 3, or (the host) whatever the peer speaks. */
export type WireVersion = 1 | 2 | 3 | 'peer';

/**
 * Version 2's framing for streams, from `@x/contract/frames` (`frameCodec`). Passed in rather than
 * imported so that `./wire`, which every worker loads, does not carry msgpackr.
 */
export interface FrameCodec {
  /** One frame, in one piece or several (written in order); throws an RpcError `messageTooLarge` over `maxBytes`. */
  encode(message: unknown, maxBytes?: number): Uint8Array | Uint8Array[];
  decoder(
    events: {
      onMessage(message: unknown): void;
      onProblem(problem: string): void;
      onFatal(problem: string): void;
    },
    maxBytes?: number,
  ): {
    push(chunk: Uint8Array): void;
    readTarget?(size?: number): Uint8Array;
    pushRead?(n: number, target: Uint8Array): void;
  };
}

export interface TransportOptions extends Omit<EndpointOptions, 'write'> {
  /** Default 1, the version every peer speaks. */
  readonly version?: WireVersion;
  /** Stream, version 2, 3 or 'peer': the framing codec (`frameCodec` of `@x/contract/frames`). */
  readonly frames?: FrameCodec;
  /** Stream, version 2: the largest frame sent or accepted (default MAX_FRAME_BYTES, 256 MiB). */
  readonly maxFrameBytes?: number;
  /**
   * Stream, version 2: the peer sent a frame longer than the limit, so nothing after it can be
   * read; the endpoint is closed, and the owner should end the connection (and blame the peer).
   */
  readonly onFatal?: (problem: string) => void;
  /** `version: 'peer'`: told once which framing and envelope the peer speaks, at its first message. */
  readonly onPeerVersion?: (version: 1 | 2 | 3) => void;
  /**
   * Stream, any version or 'peer': the stream reads into buffers it asks for (a net.Socket made
   * with `onread`) instead of emitting 'data'. Called once with where each read should land and
   * what to do with it; a large frame's bytes then land in the frame's own buffer, not copied
   * into it (NDJSON is decoded out of one reused buffer).
   */
  readonly directReads?: (reads: DirectReads) => void;
}

/** For `directReads`: `buffer()` before each read, `got(n, buffer)` after it. */
export interface DirectReads {
  buffer(): Uint8Array;
  got(n: number, buffer: Uint8Array): void;
}

export interface PortLike {
  postMessage(value: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

export interface StreamLike {
  write(data: string | Uint8Array): unknown;
  /** Optional (a net.Socket has both): the pieces of one frame are written between them. */
  cork?(): void;
  uncork?(): void;
  on(event: 'data', listener: (chunk: string | Uint8Array) => void): unknown;
}

/**
 * An endpoint over a message port (worker channel). Version 1 posts JSON text (V8 copies a string
 * faster than it clones objects: 1000 calls in one batch, 0.95 ms as JSON against 1.3 ms cloned);
 * version 2 posts structured clones, which carry what JSON cannot (bytes, Date, bigint, NaN, -0,
 * undefined), with large byte arrays copied once and transferred (transfer.ts).
 */
export function portEndpoint(port: PortLike, options: TransportOptions = {}): RpcEndpoint {
  let clones = options.version === 2 || options.version === 3;
  const endpoint = new RpcEndpoint({
    ...options,
    envelope: options.version === 3 ? 'compact' : 'json-rpc',
    write: (messages) => {
      const message = messages.length === 1 ? messages[0] : messages;
      if (!clones) {
        port.postMessage(JSON.stringify(message));
        return;
      }
      const out = withTransfers(message);
      if (out.transfer.length === 0) port.postMessage(message);
      else port.postMessage(out.message, out.transfer);
    },
  });
  let follow = options.version === 'peer';
  port.on('message', (value) => {
    if (follow) {
      follow = false;
      clones = typeof value !== 'string';
      const compact = clones && isCompactValue(value);
      if (compact) endpoint.setEnvelope('compact');
      options.onPeerVersion?.(compact ? 3 : clones ? 2 : 1);
    }
    if (typeof value !== 'string') {
      endpoint.receive(value);
      return;
    }
    const message = parse(value, endpoint);
    if (message !== NOT_JSON) endpoint.receive(message);
  });
  return endpoint;
}

const NOT_JSON = Symbol('not JSON');

function parse(text: string, endpoint: RpcEndpoint): unknown {
  try {
    return JSON.parse(text);
  } catch {
    endpoint.problem(`text that is not JSON: ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`);
    return NOT_JSON;
  }
}

/** An endpoint over a byte stream (process channel): NDJSON (version 1) or frames (versions 2 and 3). */
export function streamEndpoint(stream: StreamLike, options: TransportOptions = {}): RpcEndpoint {
  const codec = options.frames;
  const framed = options.version === 2 || options.version === 3;
  if (codec === undefined && framed) {
    throw new TypeError(
      `streamEndpoint: version ${options.version} needs the frames option (frameCodec of @x/contract/frames).`,
    );
  }
  const maxFrame = options.maxFrameBytes;
  let frames = framed;
  // 'peer' over frames: version 2 or 3 is told by the first message's envelope, not its first byte.
  let enveloped = options.version !== 'peer';
  const endpoint = new RpcEndpoint({
    ...options,
    envelope: options.version === 3 ? 'compact' : 'json-rpc',
    write: (messages) => {
      if (!frames) {
        stream.write(encodeLines(messages));
        return;
      }
      const frame = codec!.encode(messages.length === 1 ? messages[0] : messages, maxFrame);
      if (!Array.isArray(frame)) {
        stream.write(frame);
        return;
      }
      // Corked, a frame's pieces (its header, its blobs as they are) leave in one writev.
      stream.cork?.();
      for (const part of frame) stream.write(part);
      stream.uncork?.();
    },
  });
  const lines = new LineDecoder(
    (line) => {
      const message = parse(line, endpoint);
      if (message !== NOT_JSON) endpoint.receive(message);
    },
    (length) => endpoint.problem(`a line of ${length} characters, over the limit`),
  );
  const text = new TextDecoder();
  // Without a codec ('peer' on a stream that only reads version 1), frames are never chosen.
  const decoder = codec?.decoder(
    {
      onMessage: (message) => {
        if (!enveloped) {
          enveloped = true;
          const compact = isCompactValue(message);
          if (compact) endpoint.setEnvelope('compact');
          options.onPeerVersion?.(compact ? 3 : 2);
        }
        endpoint.receive(message);
      },
      onProblem: (problem) => endpoint.problem(problem),
      onFatal: (problem) => {
        endpoint.problem(problem);
        endpoint.close(`The other side broke the protocol: ${problem}.`);
        options.onFatal?.(problem);
      },
    },
    maxFrame,
  );
  if (options.directReads !== undefined && decoder?.pushRead !== undefined) {
    const d = decoder as Required<typeof decoder>;
    if (framed) {
      options.directReads({ buffer: () => d.readTarget(), got: (n, buffer) => d.pushRead(n, buffer) });
      return endpoint;
    }
    {
      // The host's end ('peer'), read in place: the first read lands in a scratch buffer and shows
      // the framing (as the 'data' path below does); from then on frames land in the decoder's own
      // buffers, and NDJSON (version 1, or a peer that speaks it) is decoded out of the scratch
      // buffer, which is then reused.
      let scratch: Uint8Array | undefined;
      let mode: 'undecided' | 'frames' | 'lines' = options.version === 'peer' ? 'undecided' : 'lines';
      options.directReads({
        buffer: () => {
          if (mode === 'frames') return d.readTarget();
          scratch ??= new Uint8Array(64 * 1024);
          return scratch;
        },
        got: (n, buffer) => {
          if (n <= 0) return;
          if (mode === 'frames') return d.pushRead(n, buffer);
          if (mode === 'undecided') {
            frames = buffer[0] === 0;
            mode = frames ? 'frames' : 'lines';
            if (frames) {
              // This read is in the scratch buffer, which is never lent again: the decoder may keep views of it.
              scratch = undefined;
              return d.push(buffer.subarray(0, n));
            }
            enveloped = true;
            options.onPeerVersion?.(1);
          }
          lines.push(text.decode(buffer.subarray(0, n), { stream: true }));
        },
      });
      return endpoint;
    }
  }
  let decided = options.version !== 'peer';
  stream.on('data', (chunk) => {
    if (typeof chunk === 'string') {
      // A stream with an encoding set gives text: only NDJSON can come that way.
      if (!decided) {
        decided = true;
        enveloped = true;
        options.onPeerVersion?.(1);
      }
      lines.push(chunk);
      return;
    }
    if (!decided && chunk.byteLength > 0) {
      decided = true;
      frames = chunk[0] === 0 && decoder !== undefined;
      if (!frames) {
        enveloped = true;
        options.onPeerVersion?.(1);
      }
    }
    if (frames) decoder!.push(chunk);
    else lines.push(text.decode(chunk, { stream: true }));
  });
  return endpoint;
}
