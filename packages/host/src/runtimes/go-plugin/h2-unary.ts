import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { GoHandshake } from './handshake.js';
import { type MutualTls, pinnedIdentity } from './mtls.js';

// A plugin's unary method calls, over one bare node:http2 session of our own, not through
// grpc-js. Hand-written on a measured reason: on the go-greeter binary, interleaved call by call
// (2-core VM, load ~5), a Greet through @x/host cost 780-1020 µs against 430-550 µs for the same
// request sent on a bare node:http2 stream, and go-plugin's own Go client ~2.2x faster than
// @x/host (packages/host/README.md, "Where the time goes"). A --cpu-prof of the host put grpc-js's
// layers (interceptors, resolving, load-balancing and subchannel calls, call-credential promises,
// Metadata) at ~10% of the host's time, plus their garbage, for what a unary call to a peer on a
// local socket needs none of: one POST, a 5-byte length prefix, one response message, a status in
// the trailers (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md). grpc-js keeps
// everything else: the health check, Shutdown, server streams, GRPCStdio and the broker.

/** What a failed call answers: grpc-js's ServiceError in shape (code, details), so callError reads both. */
export class GrpcStatusError extends Error {
  readonly code: number;
  readonly details: string;
  constructor(code: number, details: string) {
    super(`${code} ${STATUS_NAMES[code] ?? 'UNKNOWN'}: ${details}`);
    this.name = 'GrpcStatusError';
    this.code = code;
    this.details = details;
  }
}

const STATUS_NAMES: Record<number, string> = {
  0: 'OK',
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  15: 'DATA_LOSS',
  16: 'UNAUTHENTICATED',
};
const CANCELLED = 1;
const RESOURCE_EXHAUSTED = 8;
const INTERNAL = 13;
const UNAVAILABLE = 14;

/** The largest response accepted: grpc-js's default receive limit, which the host had before. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Requests up to this size are sent as one buffer (prefix and message copied together). */
const SMALL_REQUEST = 16 * 1024;
/** grpc-timeout takes at most 8 digits: milliseconds up to this, then seconds. */
const MAX_TIMEOUT_DIGITS_MS = 99_999_999;

export interface UnaryLane {
  /** One unary call: the response message, or a GrpcStatusError. `onCall` gets its cancel. */
  call(
    path: string,
    request: Uint8Array,
    deadline: number | undefined,
    onCall?: (cancel: () => void) => void,
  ): Promise<Uint8Array>;
  close(): void;
}

/** Opens the lane to the address the plugin's handshake named, with its mutual TLS when on. */
export function openUnaryLane(handshake: GoHandshake, mutual: MutualTls | undefined): UnaryLane {
  const connectTo = socketOptions(handshake);
  const session: ClientHttp2Session = http2.connect(
    mutual === undefined ? 'http://localhost' : 'https://localhost',
    {
      createConnection: () =>
        mutual === undefined
          ? net.connect(connectTo)
          : tls.connect({
              ...connectTo,
              key: mutual.client.keyPem,
              cert: mutual.client.certPem,
              ca: mutual.pluginPem,
              servername: 'localhost',
              ALPNProtocols: ['h2'],
              checkServerIdentity: pinnedIdentity(mutual),
            }),
      // Room for a few responses at the limit in flight at once (the default is 10 MB).
      maxSessionMemory: 64,
    },
  );
  let broken: string | undefined;
  session.on('error', (error) => {
    broken = error.message;
  });
  session.on('close', () => {
    broken ??= 'the connection to the plugin closed';
  });
  session.on('goaway', () => {
    broken ??= 'the plugin is shutting its gRPC server down (GOAWAY)';
  });
  // Like grpc-js's channel, the session holds the event loop only while a call is in flight.
  let inFlight = 0;
  session.unref();
  const settled = () => {
    if (--inFlight === 0 && !session.destroyed) session.unref();
  };
  return {
    call(path, request, deadline, onCall) {
      if (broken !== undefined || session.destroyed || session.closed) {
        return Promise.reject(
          new GrpcStatusError(UNAVAILABLE, broken ?? 'the connection to the plugin closed'),
        );
      }
      let stream: ClientHttp2Stream;
      try {
        stream = session.request(headers(path, deadline));
      } catch (error) {
        return Promise.reject(new GrpcStatusError(UNAVAILABLE, (error as Error).message));
      }
      if (inFlight++ === 0) session.ref();
      const call = { cancelled: false };
      const answer = receive(stream, call);
      answer.then(settled, settled);
      onCall?.(() => {
        call.cancelled = true;
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
      });
      send(stream, request);
      return answer;
    },
    close() {
      if (!session.destroyed) session.destroy();
    },
  };
}

function socketOptions(handshake: GoHandshake): { path: string } | { host: string; port: number } {
  if (handshake.network === 'unix') return { path: handshake.address };
  const colon = handshake.address.lastIndexOf(':');
  return {
    host: handshake.address.slice(0, colon).replace(/^\[|\]$/g, ''),
    port: Number(handshake.address.slice(colon + 1)),
  };
}

function headers(path: string, deadline: number | undefined): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {
    ':method': 'POST',
    ':path': path,
    'content-type': 'application/grpc',
    te: 'trailers',
  };
  if (deadline !== undefined) {
    // The deadline travels to the plugin, so that its context ends with the caller's wait.
    const ms = Math.max(1, Math.ceil(deadline - Date.now()));
    out['grpc-timeout'] = ms <= MAX_TIMEOUT_DIGITS_MS ? `${ms}m` : `${Math.ceil(ms / 1000)}S`;
  }
  return out;
}

function send(stream: ClientHttp2Stream, request: Uint8Array): void {
  const prefix = Buffer.allocUnsafe(5);
  prefix[0] = 0; // not compressed
  prefix.writeUInt32BE(request.byteLength, 1);
  if (request.byteLength <= SMALL_REQUEST) {
    stream.end(Buffer.concat([prefix, request]));
    return;
  }
  stream.write(prefix);
  stream.end(request);
}

/** The one response message of a unary call, once the stream has ended with its status. */
function receive(stream: ClientHttp2Stream, call: { readonly cancelled: boolean }): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let status: number | undefined;
    let message = '';
    let failure: GrpcStatusError | undefined;
    const readStatus = (fields: http2.IncomingHttpHeaders) => {
      const code = fields['grpc-status'];
      if (code === undefined) return;
      status = Number(code);
      message = decodeMessage(fields['grpc-message']);
    };
    stream.on('response', (fields) => {
      const httpStatus = fields[':status'];
      if (httpStatus !== 200)
        failure ??= new GrpcStatusError(UNAVAILABLE, `the plugin answered HTTP ${httpStatus}`);
      // A trailers-only answer (an error, mostly) carries its status with the headers.
      readStatus(fields);
    });
    stream.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_RESPONSE_BYTES + 5) {
        failure ??= new GrpcStatusError(
          RESOURCE_EXHAUSTED,
          `Received message larger than max (over ${MAX_RESPONSE_BYTES} bytes)`,
        );
        stream.close(http2.constants.NGHTTP2_CANCEL);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('trailers', readStatus);
    // The stream's own errors (reset, connection lost) end in 'close' below; listened to, they do not throw.
    stream.on('error', (error) => {
      failure ??= new GrpcStatusError(UNAVAILABLE, error.message);
    });
    stream.on('close', () => {
      if (call.cancelled) return reject(new GrpcStatusError(CANCELLED, 'Cancelled on client'));
      if (failure !== undefined) return reject(failure);
      if (status === undefined) {
        const code = stream.rstCode;
        return reject(
          new GrpcStatusError(
            UNAVAILABLE,
            `the call's stream ended without a gRPC status (HTTP/2 code ${code})`,
          ),
        );
      }
      if (status !== 0) return reject(new GrpcStatusError(status, message));
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const problem = unframe(body);
      if (typeof problem === 'string') return reject(new GrpcStatusError(INTERNAL, problem));
      resolve(problem);
    });
  });
}

/** The message of a unary response: exactly one uncompressed length-prefixed message. */
function unframe(body: Buffer): Uint8Array | string {
  if (body.byteLength < 5) return 'the plugin answered OK without a response message';
  if (body[0] !== 0) return 'the plugin answered a compressed message, which the host did not ask for';
  const length = body.readUInt32BE(1);
  if (body.byteLength !== 5 + length) {
    return `the plugin's response frame says ${length} bytes, but ${body.byteLength - 5} followed`;
  }
  return body.subarray(5);
}

function decodeMessage(raw: string | string[] | undefined): string {
  const text = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
