import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RpcEndpoint } from './endpoint.js';
import { encodeFrame, FrameDecoder, frameCodec } from './frames.js';
import { framingFor } from './handshake.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import { portEndpoint, streamEndpoint } from './transports.js';

// Protocol version 3's compact envelope (compact.ts): the same endpoint behaviour as JSON-RPC
// objects, in arrays; a host's 'peer' transport tells it from version 2 by the first message.

const tick = () => new Promise((r) => setTimeout(r, 0));

/** One endpoint in the compact envelope whose writes are kept, to feed it by hand. */
function lone() {
  const sent: unknown[] = [];
  const problems: string[] = [];
  const endpoint = new RpcEndpoint({
    envelope: 'compact',
    write: (messages) => sent.push(...messages),
    onProblem: (p) => problems.push(p),
  });
  return { endpoint, sent, problems };
}

describe('the compact envelope', () => {
  it('writes requests, notifications, results and errors as arrays led by their kind', async () => {
    const { endpoint, sent } = lone();
    endpoint.onRequest('echo', (params) => params);
    endpoint.onRequest('fail', () => {
      throw new RpcError(RPC_ERRORS.invalidParams, 'no', { why: 1 });
    });
    const call = endpoint.request('add', [1, 2]);
    endpoint.notify('x/log', { message: 'm' });
    endpoint.receive([0, 'a', 'echo', { v: 1 }]);
    endpoint.receive([0, 'b', 'fail', null]);
    await tick();
    expect(sent).toEqual([
      [0, 1, 'add', [1, 2]],
      [1, 'x/log', { message: 'm' }],
      [2, 'a', { v: 1 }],
      [3, 'b', { code: RPC_ERRORS.invalidParams, message: 'no', data: { why: 1 } }],
    ]);
    endpoint.receive([2, call.id, 3]);
    await expect(call.result).resolves.toBe(3);
    const failing = endpoint.request('x', null);
    endpoint.receive([3, failing.id, { code: -32000, message: 'bad', data: [1] }]);
    await expect(failing.result).rejects.toMatchObject({ code: -32000, message: 'bad', data: [1] });
  });

  it('cancels with a $/cancelRequest notification, and drops the late answer quietly', async () => {
    const { endpoint, sent, problems } = lone();
    const call = endpoint.request('slow', null);
    endpoint.cancel(call.id);
    await expect(call.result).rejects.toMatchObject({ code: RPC_ERRORS.requestCancelled });
    await tick();
    expect(sent[1]).toEqual([1, '$/cancelRequest', { id: call.id }]);
    endpoint.receive([2, call.id, 'late']);
    expect(problems).toEqual([]);
  });

  it('refuses wrong arity, wrong types and reused ids as it refuses malformed JSON-RPC objects', async () => {
    const { endpoint, sent, problems } = lone();
    const call = endpoint.request('m', null);
    for (const bad of [
      [0, 5],
      [0, 6, 7, null],
      [0, null, 'm', null],
      [1, 'm'],
      [1, 2, null],
      [2],
      [9, 1],
      {},
      'x',
      [[[1]]],
    ])
      endpoint.receive(bad);
    endpoint.receive([2, call.id, 'one']);
    endpoint.receive([2, call.id, 'two']); // the id answered already
    await expect(call.result).resolves.toBe('one');
    await tick();
    // Requests with a usable id are answered with invalidRequest; the rest only reported.
    expect(sent.slice(1)).toMatchObject([
      [3, 5, { code: RPC_ERRORS.invalidRequest }],
      [3, 6, { code: RPC_ERRORS.invalidRequest }],
    ]);
    expect(problems).toHaveLength(11);
    expect(problems.at(-1)).toContain('a response to an unknown id');
    const wrong = endpoint.request('m', null);
    endpoint.receive([2, wrong.id, 'result', 'extra']);
    await expect(wrong.result).rejects.toMatchObject({ code: RPC_ERRORS.internalError });
    const wrongError = endpoint.request('m', null);
    endpoint.receive([3, wrongError.id, { code: 'E', message: 1 }]);
    await expect(wrongError.result).rejects.toMatchObject({ code: RPC_ERRORS.internalError });
  });

  it('never throws on any value, and every pending call settles on close (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.anything(), fc.tuple(fc.nat(4), fc.anything(), fc.anything()))),
        async (values) => {
          const { endpoint } = lone();
          const call = endpoint.request('m', null);
          for (const v of values) endpoint.receive(v);
          endpoint.receive(values);
          endpoint.close();
          await call.result.catch(() => {});
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('version 3 on the transports', () => {
  it("a host's 'peer' port reads the envelope from the first post, and answers in it", async () => {
    const { port1, port2 } = new MessageChannel();
    const versions: number[] = [];
    const host = portEndpoint(port1, { version: 'peer', onPeerVersion: (v) => versions.push(v) });
    const plugin = portEndpoint(port2, { version: 3 });
    plugin.onRequest('greet', (name) => `Hello, ${name}`);
    const hello = new Promise((resolve) => host.onNotification('hello', resolve));
    plugin.notify('hello', { v: 3 });
    await expect(hello).resolves.toEqual({ v: 3 });
    expect(versions).toEqual([3]);
    expect(host.envelope).toBe('compact');
    await expect(host.request('greet', 'v3').result).resolves.toBe('Hello, v3');
    port1.close();
  });

  it("a host's 'peer' stream reads the envelope from the first frame's message", async () => {
    let toHost: (chunk: Uint8Array) => void = () => {};
    let toPlugin: (chunk: Uint8Array) => void = () => {};
    const versions: number[] = [];
    const pipe = (deliver: () => (chunk: Uint8Array) => void) => ({
      write: (data: string | Uint8Array) => queueMicrotask(() => deliver()(data as Uint8Array)),
    });
    const host = streamEndpoint(
      { ...pipe(() => toPlugin), on: (_: 'data', l: (c: string | Uint8Array) => void) => (toHost = l) },
      { version: 'peer', frames: frameCodec, onPeerVersion: (v) => versions.push(v) },
    );
    const plugin = streamEndpoint(
      { ...pipe(() => toHost), on: (_: 'data', l: (c: string | Uint8Array) => void) => (toPlugin = l) },
      { version: 3, frames: frameCodec },
    );
    plugin.onRequest('echo', (bytes) => bytes);
    const hello = new Promise((resolve) => host.onNotification('hello', resolve));
    plugin.notify('hello', null);
    await hello;
    expect(versions).toEqual([3]);
    // 128 KiB travels as a blob: a version 3 message is one frame, not a batch of its elements.
    const bytes = new Uint8Array(128 * 1024).fill(9);
    const back = (await host.request('echo', bytes).result) as Uint8Array;
    expect(back.byteLength).toBe(bytes.byteLength);
    expect(back[1000]).toBe(9);
  });

  it('frames a version 3 message as one frame and a batch of them as a batch', () => {
    const got: unknown[] = [];
    const decoder = new FrameDecoder({
      onMessage: (m) => got.push(m),
      onProblem: () => {},
      onFatal: () => {},
    });
    decoder.push(encodeFrame([2, 1, 'x']));
    decoder.push(
      encodeFrame([
        [2, 1, 'x'],
        [1, 'n', null],
      ]),
    );
    expect(got).toEqual([
      [2, 1, 'x'],
      [
        [2, 1, 'x'],
        [1, 'n', null],
      ],
    ]);
  });

  it('is chosen when both sides speak 3, and never by an older host or plugin', () => {
    expect(framingFor([1, 2, 3], [1, 2, 3])).toBe(3);
    expect(framingFor([1, 2], [1, 2, 3])).toBe(2);
    expect(framingFor([1, 2, 3], [1, 2])).toBe(2);
    expect(framingFor([1, 2, 3], [1])).toBe(1);
  });
});
