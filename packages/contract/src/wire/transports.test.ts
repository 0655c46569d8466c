import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameCodec } from './frames.js';
import { readHandshake } from './handshake.js';
import { encodeLines, LineDecoder } from './ndjson.js';
import { RPC_ERRORS } from './rpc-error.js';
import { type DirectReads, portEndpoint, streamEndpoint } from './transports.js';

/** A fake pipe: what the endpoint writes is kept; `feed` plays what the other side sends. */
function fakeStream() {
  let onData: (chunk: string) => void = () => {};
  const written: string[] = [];
  return {
    stream: {
      write: (text: string) => written.push(text),
      on: (_event: 'data', listener: (chunk: string) => void) => {
        onData = listener;
      },
    },
    written,
    feed: (chunk: string) => onData(chunk),
  };
}

describe('newline-delimited JSON framing', () => {
  it('splits lines across chunks of any size, tolerates CRLF and blank lines', () => {
    const lines: string[] = [];
    const decoder = new LineDecoder(
      (l) => lines.push(l),
      () => {},
    );
    const text = `${encodeLines([{ a: 1 }, { b: 'x\ny' }])}\r\n{"c":3}\r\n\n`;
    for (const size of [1, 2, 3, 7, text.length]) {
      lines.length = 0;
      for (let i = 0; i < text.length; i += size) decoder.push(text.slice(i, i + size));
      expect(lines).toEqual(['{"a":1}', '{"b":"x\\ny"}', '{"c":3}']);
    }
  });

  it('drops a line over the limit, whether it comes whole or in pieces, and goes on with the next', () => {
    const lines: string[] = [];
    const tooLong: number[] = [];
    const decoder = new LineDecoder(
      (l) => lines.push(l),
      (n) => tooLong.push(n),
      10,
    );
    decoder.push('0123456789abc\n{"ok":1}\n');
    decoder.push('0123456');
    decoder.push('789abcdef');
    decoder.push('ghij\n{"ok":2}\n');
    expect(lines).toEqual(['{"ok":1}', '{"ok":2}']);
    expect(tooLong).toHaveLength(2);
  });

  it('end() hands over a last line without its newline, unless it was over the limit', () => {
    const lines: string[] = [];
    const decoder = new LineDecoder(
      (l) => lines.push(l),
      () => {},
      10,
    );
    decoder.push('one\ntw');
    decoder.push('o');
    decoder.end();
    decoder.push('0123456789abc');
    decoder.end();
    decoder.end();
    expect(lines).toEqual(['one', 'two']);
  });
});

describe('streamEndpoint on what a plugin may write', () => {
  it('ignores lines that are not JSON or not messages, answers the rest, and settles pending calls', async () => {
    const { stream, written, feed } = fakeStream();
    const problems: string[] = [];
    const endpoint = streamEndpoint(stream, { onProblem: (p) => problems.push(p) });
    const call = endpoint.request('x/call', { method: 'greet', args: ['W'] });
    const truncated = endpoint.request('x/call', { method: 'greet', args: ['V'] });
    await Promise.resolve();
    expect(written.join('')).toBe(
      `${JSON.stringify({ jsonrpc: '2.0', id: call.id, method: 'x/call', params: { method: 'greet', args: ['W'] } })}\n` +
        `${JSON.stringify({ jsonrpc: '2.0', id: truncated.id, method: 'x/call', params: { method: 'greet', args: ['V'] } })}\n`,
    );
    feed('garbage before anything\n{"jsonrpc":"2.0"\n[1,2\n\u0000\u00ff\n');
    feed(`${JSON.stringify({ jsonrpc: '2.0', id: call.id, result: 'Hello, W!' })}\n`);
    await expect(call.result).resolves.toBe('Hello, W!');
    feed(`{"jsonrpc":"2.0","id":${truncated.id},"res`); // the plugin dies mid-line
    expect(problems.length).toBe(4);
    endpoint.close();
    await expect(truncated.result).rejects.toMatchObject({ code: RPC_ERRORS.connectionClosed });
  });

  it('never throws on arbitrary input, and every pending call settles on close (property)', async () => {
    const message = fc.record(
      {
        jsonrpc: fc.constantFrom('2.0', '1.0', 2),
        id: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.string(), fc.constant(null), fc.object()),
        method: fc.oneof(
          fc.constantFrom('x/handshake', '$/cancelRequest', 'x/call'),
          fc.string(),
          fc.integer(),
        ),
        params: fc.jsonValue(),
        result: fc.jsonValue(),
        error: fc.oneof(fc.jsonValue(), fc.record({ code: fc.integer(), message: fc.string() })),
      },
      { requiredKeys: [] },
    );
    const chunk = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.jsonValue().map((v) => `${JSON.stringify(v)}\n`),
      message.map((m) => `${JSON.stringify(m)}\n`),
      fc.array(message, { maxLength: 5 }).map((ms) => `${JSON.stringify(ms)}\n`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { maxLength: 40 }), async (chunks) => {
        const { stream, feed } = fakeStream();
        const endpoint = streamEndpoint(stream, { onProblem: () => {} });
        endpoint.onRequest('x/health', () => ({ ok: true }));
        endpoint.onNotification('x/handshake', () => {});
        const calls = Array.from({ length: 5 }, () =>
          endpoint.request('x/call', {}).result.then(
            () => 'ok',
            (e: unknown) => (e instanceof Error ? 'error' : 'not an Error'),
          ),
        );
        for (const c of chunks) feed(c);
        await Promise.resolve();
        endpoint.close();
        const outcomes = await Promise.all(calls);
        expect(outcomes.every((o) => o === 'ok' || o === 'error')).toBe(true);
        expect(endpoint.pendingCount).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('portEndpoint (worker channel)', () => {
  it('posts one JSON string per tick, understands strings and objects, ignores garbage', async () => {
    let onMessage: (value: unknown) => void = () => {};
    const posted: unknown[] = [];
    const problems: string[] = [];
    const endpoint = portEndpoint(
      { postMessage: (v) => posted.push(v), on: (_e, listener) => (onMessage = listener) },
      { onProblem: (p) => problems.push(p) },
    );
    const one = endpoint.request('a');
    const two = endpoint.request('b', [1]);
    await Promise.resolve();
    expect(posted).toEqual([
      JSON.stringify([
        { jsonrpc: '2.0', id: one.id, method: 'a' },
        { jsonrpc: '2.0', id: two.id, method: 'b', params: [1] },
      ]),
    ]);
    for (const g of ['{oops', '', 7, null, { jsonrpc: '2.0' }, new Uint8Array(3)]) onMessage(g);
    onMessage(JSON.stringify({ jsonrpc: '2.0', id: one.id, result: 'A' }));
    onMessage({ jsonrpc: '2.0', id: two.id, result: 'B' });
    await expect(one.result).resolves.toBe('A');
    await expect(two.result).resolves.toBe('B');
    expect(problems).toHaveLength(6);
  });
});

describe('what a worker may post, and handshakes (property)', () => {
  it('portEndpoint never throws on any posted value, and pending calls settle on close', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.anything(),
            fc.string(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
        ),
        async (posts) => {
          let onMessage: (value: unknown) => void = () => {};
          const endpoint = portEndpoint(
            { postMessage: () => {}, on: (_e, l) => (onMessage = l) },
            { onProblem: () => {} },
          );
          const calls = [endpoint.request('x/call', {}).result.catch(() => 'settled')];
          for (const p of posts) expect(() => onMessage(p)).not.toThrow();
          endpoint.close();
          await Promise.all(calls);
          expect(endpoint.pendingCount).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('readHandshake never throws, and what it accepts has the fields the host reads', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue()), (params) => {
        const read = readHandshake(params);
        if (typeof read === 'string') return;
        expect(Number.isInteger(read.protocolVersion)).toBe(true);
        expect(Array.isArray(read.versions)).toBe(true);
        expect(read.error !== undefined || Array.isArray(read.plugin?.exportNames)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("streamEndpoint with directReads ('peer': the host's end of fd 3, read in place)", () => {
  /** Plays reads as a socket made with `onread` does: each lands in the buffer asked for before it. */
  function reader(options: { version: 'peer' | 1 }) {
    let reads: DirectReads | undefined;
    const versions: number[] = [];
    const received: unknown[] = [];
    const endpoint = streamEndpoint(
      { write: () => {}, on: () => {} },
      {
        ...options,
        frames: frameCodec,
        directReads: (r) => (reads = r),
        onPeerVersion: (v) => versions.push(v),
      },
    );
    endpoint.onNotification('note', (params) => received.push(params));
    const read = (bytes: Uint8Array) => {
      for (let at = 0; at < bytes.length; ) {
        const target = reads!.buffer();
        const n = Math.min(target.length, bytes.length - at);
        target.set(bytes.subarray(at, at + n));
        reads!.got(n, target);
        at += n;
      }
    };
    return { read, versions, received };
  }
  const note = (params: unknown) => ({ jsonrpc: '2.0', method: 'note', params }) as const;

  it('tells v1 lines from the first read, and decodes lines split across reads', () => {
    const r = reader({ version: 'peer' });
    const text = new TextEncoder().encode(`${encodeLines([note('é'), note(2)])}${encodeLines([note(3)])}`);
    r.read(text.subarray(0, 5));
    r.read(text.subarray(5));
    expect(r.versions).toEqual([1]);
    expect(r.received).toEqual(['é', 2, 3]);
  });

  it('tells frames from the first read and reads the rest into the frames themselves, large ones too', () => {
    const r = reader({ version: 'peer' });
    const big = new Uint8Array(300 * 1024).fill(7);
    const parts = [note('a'), note({ big }), note('b')].flatMap((m) => {
      const frame = frameCodec.encode(m);
      return Array.isArray(frame) ? frame : [frame];
    });
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    r.read(all.subarray(0, 3));
    r.read(all.subarray(3));
    expect(r.versions).toEqual([2]);
    expect(r.received[0]).toBe('a');
    expect(Buffer.compare((r.received[1] as { big: Uint8Array }).big, big)).toBe(0);
    expect(r.received[2]).toBe('b');
  });

  it('reads version 1 lines when told so, without deciding', () => {
    const r = reader({ version: 1 });
    r.read(new TextEncoder().encode(encodeLines([note(1)])));
    expect(r.versions).toEqual([]);
    expect(r.received).toEqual([1]);
  });
});
