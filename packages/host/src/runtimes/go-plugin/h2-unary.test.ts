import { mkdtempSync, rmSync } from 'node:fs';
import http2, { type Http2Server, type ServerHttp2Stream } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcStatusError, MAX_RESPONSE_BYTES, openUnaryLane, type UnaryLane } from './h2-unary.js';

// The unary lane against a real HTTP/2 server on a unix socket that answers as a hostile or broken
// plugin might (the go-plugin tests cover real Go and Python servers): every answer that is not one
// well-framed message with status 0 is a GrpcStatusError with a code callError can read.

type Handler = (stream: ServerHttp2Stream, headers: http2.IncomingHttpHeaders, body: Buffer) => void;

let dir: string;
let server: Http2Server | undefined;
let lane: UnaryLane | undefined;
afterEach(async () => {
  lane?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function serve(handler: Handler): Promise<UnaryLane> {
  dir = mkdtempSync(join(tmpdir(), 'x-h2-unary-'));
  const path = join(dir, 'plugin.sock');
  server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('error', () => {}); // a stream reset by either side
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => handler(stream, headers, Buffer.concat(chunks)));
  });
  await new Promise<void>((r) => server!.listen(path, r));
  lane = openUnaryLane({ appProtocolVersion: 1, network: 'unix', address: path }, undefined);
  return lane;
}

const frame = (message: Uint8Array, flag = 0) => {
  const out = Buffer.alloc(5 + message.byteLength);
  out[0] = flag;
  out.writeUInt32BE(message.byteLength, 1);
  out.set(message, 5);
  return out;
};
const ok = (stream: ServerHttp2Stream, body: Buffer, status = '0', message?: string) => {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () =>
    stream.sendTrailers({ 'grpc-status': status, ...(message ? { 'grpc-message': message } : {}) }),
  );
  stream.end(body);
};
const failure = async (answer: Promise<unknown>) => {
  const error = await answer.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GrpcStatusError);
  return error as GrpcStatusError;
};

describe('the unary lane', () => {
  it('posts one framed request with the gRPC headers and answers the one response message', async () => {
    let seen: { headers: http2.IncomingHttpHeaders; body: Buffer } | undefined;
    const l = await serve((stream, headers, body) => {
      seen = { headers, body };
      ok(stream, frame(Buffer.from('answer')));
    });
    const answer = await l.call('/pkg.Svc/Do', Buffer.from('question'), Date.now() + 5_000);
    expect(Buffer.from(answer).toString()).toBe('answer');
    expect(seen!.headers).toMatchObject({
      ':method': 'POST',
      ':path': '/pkg.Svc/Do',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    expect(seen!.headers['grpc-timeout']).toMatch(/^\d{1,8}m$/);
    expect(seen!.body).toEqual(frame(Buffer.from('question')));
    // A large request is written as prefix and message, unchanged.
    const big = Buffer.alloc(300_000, 7);
    await l.call('/pkg.Svc/Do', big, undefined);
    expect(seen!.body.equals(frame(big))).toBe(true);
    expect(seen!.headers['grpc-timeout']).toBeUndefined();
  });

  it("reads an error's status and percent-encoded message from the trailers, or from trailers-only headers", async () => {
    let trailersOnly = false;
    const l = await serve((stream) => {
      if (!trailersOnly) return ok(stream, Buffer.alloc(0), '5', 'no%20such%20key%3A%20%C3%A9');
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': '12',
          'grpc-message': 'unknown method',
        },
        { endStream: true },
      );
    });
    const notFound = await failure(l.call('/a/B', Buffer.alloc(0), undefined));
    expect([notFound.code, notFound.details]).toEqual([5, 'no such key: é']);
    expect(notFound.message).toBe('5 NOT_FOUND: no such key: é');
    trailersOnly = true;
    const unimplemented = await failure(l.call('/a/B', Buffer.alloc(0), undefined));
    expect([unimplemented.code, unimplemented.details]).toEqual([12, 'unknown method']);
  });

  it.each([
    ['no message at all', Buffer.alloc(0), /without a response message/],
    ['a compressed message', frame(Buffer.from('x'), 1), /compressed/],
    [
      'a frame shorter than it says',
      frame(Buffer.from('abc')).subarray(0, 6),
      /says 3 bytes, but 1 followed/,
    ],
    [
      'two messages',
      Buffer.concat([frame(Buffer.from('a')), frame(Buffer.from('b'))]),
      /says 1 bytes, but 7 followed/,
    ],
  ])('refuses %s as INTERNAL', async (_, body, why) => {
    const l = await serve((stream) => ok(stream, body));
    const error = await failure(l.call('/a/B', Buffer.alloc(0), undefined));
    expect(error.code).toBe(13);
    expect(error.details).toMatch(why);
  });

  it('refuses a response over the limit without keeping it (RESOURCE_EXHAUSTED)', async () => {
    const l = await serve((stream) => ok(stream, frame(Buffer.alloc(MAX_RESPONSE_BYTES + 1))));
    const error = await failure(l.call('/a/B', Buffer.alloc(0), undefined));
    expect(error.code).toBe(8);
  });

  it('answers UNAVAILABLE for an HTTP error, a missing status, a reset and a lost connection', async () => {
    let mode = 'http';
    const l = await serve((stream) => {
      if (mode === 'http') stream.respond({ ':status': 500 }, { endStream: true });
      else if (mode === 'nostatus') {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
        stream.end(frame(Buffer.from('x')));
      } else if (mode === 'reset') stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      else stream.session?.destroy();
    });
    for (const [m, why] of [
      ['http', /HTTP 500/],
      ['nostatus', /without a gRPC status/],
      ['reset', /./],
      ['lost', /./],
    ] as const) {
      mode = m;
      const error = await failure(l.call('/a/B', Buffer.alloc(0), undefined));
      expect(error.code, m).toBe(14);
      expect(error.details, m).toMatch(why);
    }
    // After the connection is gone, a call fails at once, UNAVAILABLE, and nothing throws.
    const after = await failure(l.call('/a/B', Buffer.alloc(0), undefined));
    expect(after.code).toBe(14);
  });

  it('cancels: the call rejects CANCELLED and the server sees its stream closed', async () => {
    let closed: Promise<void> | undefined;
    let reached = false;
    const l = await serve((stream) => {
      reached = true;
      closed = new Promise((r) => stream.on('close', () => r()));
    });
    let cancel = () => {};
    const answer = l.call('/a/B', Buffer.alloc(0), undefined, (c) => {
      cancel = c;
    });
    await expect.poll(() => reached).toBe(true);
    cancel();
    const error = await failure(answer);
    expect(error.code).toBe(1);
    await closed;
  });

  it('sends a deadline past 8 digits of milliseconds in seconds', async () => {
    let timeout: unknown;
    const l = await serve((stream, headers) => {
      timeout = headers['grpc-timeout'];
      ok(stream, frame(Buffer.alloc(0)));
    });
    await l.call('/a/B', Buffer.alloc(0), Date.now() + 2_000_000_000);
    expect(timeout).toMatch(/^\d{1,8}S$/);
  });
});
