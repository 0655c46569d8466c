import { describe, expect, it } from 'vitest';
import { RpcEndpoint } from './endpoint.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import type { RpcMessage } from './rpc-message.js';

/** Two endpoints joined in memory, as a worker's port would join them (structured clones). */
function pair() {
  const writes: { from: 'a' | 'b'; messages: readonly RpcMessage[] }[] = [];
  const problems: string[] = [];
  const a: RpcEndpoint = new RpcEndpoint({
    write: (messages) => {
      writes.push({ from: 'a', messages: messages as readonly RpcMessage[] });
      const copy = structuredClone(messages);
      queueMicrotask(() => b.receive(copy.length === 1 ? copy[0] : copy));
    },
    onProblem: (p) => problems.push(p),
  });
  const b: RpcEndpoint = new RpcEndpoint({
    write: (messages) => {
      writes.push({ from: 'b', messages: messages as readonly RpcMessage[] });
      const copy = structuredClone(messages);
      queueMicrotask(() => a.receive(copy.length === 1 ? copy[0] : copy));
    },
  });
  return { a, b, writes, problems };
}

/** An endpoint whose writes are kept, to feed it answers by hand. */
function lone() {
  const sent: RpcMessage[] = [];
  const problems: string[] = [];
  const endpoint = new RpcEndpoint({
    write: (messages) => sent.push(...(messages as readonly RpcMessage[])),
    onProblem: (p) => problems.push(p),
  });
  return { endpoint, sent, problems };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('RpcEndpoint', () => {
  it('answers requests, sync and async, and delivers notifications', async () => {
    const { a, b, problems } = pair();
    b.onRequest('add', (p) => (p as number[]).reduce((x, y) => x + y, 0));
    b.onRequest('later', async (p) => `later ${String(p)}`);
    b.onRequest('void', () => undefined);
    const seen: unknown[] = [];
    b.onNotification('note', (p) => seen.push(p));
    expect(await a.request('add', [1, 2, 3]).result).toBe(6);
    expect(await a.request('later', 'x').result).toBe('later x');
    expect(await a.request('void').result).toBeNull();
    a.notify('note', { n: 1 });
    await tick();
    expect(seen).toEqual([{ n: 1 }]);
    expect(problems).toEqual([]);
    expect(a.pendingCount).toBe(0);
  });

  it('answers errors with codes: thrown RpcErrors keep theirs, others are internal, unknown methods not found', async () => {
    const { a, b } = pair();
    b.onRequest('threw', () => {
      throw new RpcError(-32001, 'RangeError: no', { name: 'RangeError' });
    });
    b.onRequest('rejected', () => Promise.reject(new Error('plain')));
    await expect(a.request('threw').result).rejects.toMatchObject({
      code: -32001,
      message: 'RangeError: no',
      data: { name: 'RangeError' },
    });
    await expect(a.request('rejected').result).rejects.toMatchObject({ code: RPC_ERRORS.internalError });
    await expect(a.request('nope').result).rejects.toMatchObject({ code: RPC_ERRORS.methodNotFound });
  });

  it('sends what one tick writes in batches of at most 64, in order', async () => {
    const { a, b, writes } = pair();
    b.onRequest('echo', (p) => p);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => a.request('echo', i).result));
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const fromA = writes.filter((w) => w.from === 'a');
    expect(fromA.map((w) => w.messages.length)).toEqual([64, 36]);
    expect(fromA.flatMap((w) => w.messages.map((m) => ('params' in m ? m.params : undefined)))).toEqual(
      results,
    );
    expect(writes.filter((w) => w.from === 'b').map((w) => w.messages.length)).toEqual([64, 36]);
  });

  it('cancels: the caller stops waiting, the callee answers -32800 at once, the late answer is dropped quietly', async () => {
    const { a, b, writes, problems } = pair();
    let finish: (v: string) => void = () => {};
    b.onRequest('slow', () => new Promise<string>((r) => (finish = r)));
    const call = a.request('slow');
    await tick();
    a.cancel(call.id);
    await expect(call.result).rejects.toMatchObject({ code: RPC_ERRORS.requestCancelled });
    await tick();
    const fromB = writes.filter((w) => w.from === 'b').flatMap((w) => w.messages);
    expect(fromB).toEqual([
      { jsonrpc: '2.0', id: call.id, error: expect.objectContaining({ code: -32800 }) },
    ]);
    finish('late');
    await tick();
    expect(writes.filter((w) => w.from === 'b')).toHaveLength(1); // no second answer
    expect(problems).toEqual([]); // the -32800 answer to a cancelled call is not a problem
    a.cancel(call.id); // cancelling twice, or an unknown id, does nothing
    a.cancel(12345);
  });

  it('close() rejects every pending request, and later ones; nothing is sent after', async () => {
    const { endpoint, sent } = lone();
    const one = endpoint.request('x');
    const two = endpoint.request('y');
    endpoint.close('gone');
    await expect(one.result).rejects.toMatchObject({ code: RPC_ERRORS.connectionClosed, message: 'gone' });
    await expect(two.result).rejects.toMatchObject({ code: RPC_ERRORS.connectionClosed });
    await expect(endpoint.request('z').result).rejects.toMatchObject({ code: RPC_ERRORS.connectionClosed });
    await tick();
    expect(sent).toEqual([]);
    endpoint.receive({ jsonrpc: '2.0', id: one.id, result: 1 }); // ignored, does not throw
  });

  it('settles a request whose params cannot be encoded, and answers a result that cannot be as an error', async () => {
    const sent: RpcMessage[] = [];
    const endpoint = new RpcEndpoint({
      write: (messages) => {
        const text = JSON.stringify(messages); // throws on a BigInt, as the pipe's encoder does
        sent.push(...(JSON.parse(text) as RpcMessage[]));
      },
    });
    endpoint.onRequest('big', () => 1n);
    const ok = endpoint.request('fine', 1);
    const bad = endpoint.request('bad', 2n);
    endpoint.receive({ jsonrpc: '2.0', id: 'r1', method: 'big' });
    await expect(bad.result).rejects.toMatchObject({ code: RPC_ERRORS.internalError });
    expect(sent).toEqual([
      { jsonrpc: '2.0', id: ok.id, method: 'fine', params: 1 },
      { jsonrpc: '2.0', id: 'r1', error: expect.objectContaining({ code: RPC_ERRORS.internalError }) },
    ]);
    expect(endpoint.pendingCount).toBe(1);
  });
});

describe('RpcEndpoint on garbage from the other side', () => {
  it('never throws, ignores and reports each bad message, and keeps serving', async () => {
    const { endpoint, sent, problems } = lone();
    const call = endpoint.request('x');
    const garbage: unknown[] = [
      null,
      undefined,
      42,
      'text',
      [],
      [[{ jsonrpc: '2.0', method: 'n' }]],
      {},
      { jsonrpc: '1.0', id: 1, result: 1 },
      { jsonrpc: '2.0', method: 7 },
      { jsonrpc: '2.0', method: 'm', id: { no: 1 } },
      { jsonrpc: '2.0', id: 999, result: 'unknown id' },
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } },
      { jsonrpc: '2.0', method: 'unhandled/notification' },
      { jsonrpc: '2.0', method: '$/cancelRequest', params: 'nonsense' },
      { jsonrpc: '2.0', method: '$/progress' },
      Object.create(null),
    ];
    for (const g of garbage) expect(() => endpoint.receive(g)).not.toThrow();
    expect(endpoint.pendingCount).toBe(1);
    // A request this side does not serve gets a standard answer.
    endpoint.receive({ jsonrpc: '2.0', id: 'q', method: 'nobody' });
    await tick();
    expect(sent.at(-1)).toEqual({
      jsonrpc: '2.0',
      id: 'q',
      error: expect.objectContaining({ code: RPC_ERRORS.methodNotFound }),
    });
    endpoint.receive({ jsonrpc: '2.0', id: call.id, result: 'finally' });
    await expect(call.result).resolves.toBe('finally');
    // A duplicate answer is reported, not delivered.
    endpoint.receive({ jsonrpc: '2.0', id: call.id, result: 'again' });
    expect(problems.at(-1)).toMatch(/unknown id/);
    expect(problems.length).toBeGreaterThanOrEqual(12);
  });

  it('settles a pending call with a malformed answer as an internal error', async () => {
    const { endpoint } = lone();
    const shapes = [
      { jsonrpc: '2.0', result: 1, error: { code: 1, message: 'x' } },
      { jsonrpc: '2.0' },
      { jsonrpc: '2.0', error: 'boom' },
      { jsonrpc: '2.0', error: { code: 1.5, message: 'x' } },
      { jsonrpc: '2.0', error: { code: 1, message: 2 } },
    ];
    for (const shape of shapes) {
      const call = endpoint.request('x');
      endpoint.receive({ ...shape, id: call.id });
      await expect(call.result).rejects.toMatchObject({ code: RPC_ERRORS.internalError });
    }
    // A well-formed error answer keeps its code and data.
    const call = endpoint.request('x');
    endpoint.receive({ jsonrpc: '2.0', id: call.id, error: { code: 5, message: 'm', data: [1] } });
    await expect(call.result).rejects.toEqual(new RpcError(5, 'm', [1]));
  });

  it('survives handlers and loggers that throw, and reports at most 21 problems', () => {
    let reported = 0;
    const endpoint = new RpcEndpoint({
      write: () => {},
      onProblem: () => {
        reported++;
        throw new Error('logger broke');
      },
    });
    endpoint.onNotification('n', () => {
      throw new Error('handler broke');
    });
    for (let i = 0; i < 100; i++)
      expect(() => endpoint.receive({ jsonrpc: '2.0', method: 'n' })).not.toThrow();
    expect(endpoint.problems).toBe(100);
    expect(reported).toBe(21);
  });
});

describe('RpcError.isInstance', () => {
  it('recognises an RpcError from another copy of the package by its marker, as instanceof cannot', () => {
    const foreign = Object.assign(new Error('x'), { code: -32001, [Symbol.for('x.plugin.rpc-error')]: true });
    expect(RpcError.isInstance(new RpcError(-32001, 'threw'))).toBe(true);
    expect(RpcError.isInstance(foreign)).toBe(true);
    expect(RpcError.isInstance(new Error('plain'))).toBe(false);
    expect(RpcError.isInstance(undefined)).toBe(false);
  });
});
