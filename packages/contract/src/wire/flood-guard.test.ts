import { describe, expect, it } from 'vitest';
import { RpcEndpoint } from './endpoint.js';
import { type Flood, FloodGuard } from './flood-guard.js';

describe('FloodGuard', () => {
  it('trips once on the message past maxMessages within the window, not before', () => {
    let now = 0;
    const floods: Flood[] = [];
    const guard = new FloodGuard({
      limits: { maxMessages: 3, windowMs: 100 },
      now: () => now,
      onFlood: (f) => floods.push(f),
    });
    for (let i = 0; i < 3; i++) guard.inbound();
    now = 150; // a new window
    for (let i = 0; i < 3; i++) guard.inbound();
    expect(floods).toEqual([]);
    guard.inbound();
    guard.inbound();
    expect(floods).toHaveLength(1);
    expect(floods[0]).toMatchObject({ limit: 'maxMessages', count: 4, cap: 3 });
  });

  it('does not count a request paced by the answers (sent after the last one was written), only the others', () => {
    let caughtUp = true;
    const floods: Flood[] = [];
    const guard = new FloodGuard({
      limits: { maxMessages: 3, windowMs: 1_000 },
      now: () => 0,
      paced: () => caughtUp,
      onFlood: (f) => floods.push(f),
    });
    // One awaited call after another: any number within the window.
    for (let i = 0; i < 100; i++) guard.inbound(true);
    expect(floods).toEqual([]);
    // Notifications are never paced; nor are requests that arrive while answers are still unsent.
    guard.inbound(false);
    caughtUp = false;
    guard.inbound(true);
    guard.inbound(true);
    expect(floods).toEqual([]);
    guard.inbound(true);
    expect(floods).toHaveLength(1);
    expect(floods[0]).toMatchObject({ limit: 'maxMessages', count: 4, cap: 3 });
  });

  it('RpcEndpoint.caughtUp: no request answered asynchronously, no answer waiting in the outbox', async () => {
    const written: unknown[] = [];
    let release = () => {};
    const endpoint = new RpcEndpoint({ write: (m) => written.push(...m) });
    endpoint.onRequest('now', () => 1);
    endpoint.onRequest('later', () => new Promise((r) => (release = () => r(2))));
    expect(endpoint.caughtUp).toBe(true);
    endpoint.receive({ jsonrpc: '2.0', id: 1, method: 'now' });
    expect(endpoint.caughtUp).toBe(false); // its answer waits for this tick's flush
    await Promise.resolve();
    expect(written).toHaveLength(1);
    expect(endpoint.caughtUp).toBe(true);
    endpoint.receive({ jsonrpc: '2.0', id: 2, method: 'later' });
    await Promise.resolve();
    expect(endpoint.caughtUp).toBe(false);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(endpoint.caughtUp).toBe(true);
  });

  it('trips on a backlog in one turn, and the turn ends with afterTurn', () => {
    const turnEnds: (() => void)[] = [];
    const floods: Flood[] = [];
    const guard = new FloodGuard({
      limits: { maxPerTurn: 2 },
      afterTurn: (fn) => turnEnds.push(fn),
      onFlood: (f) => floods.push(f),
    });
    guard.inbound();
    guard.inbound();
    turnEnds.shift()!();
    guard.inbound();
    guard.inbound();
    expect(floods).toEqual([]);
    guard.inbound();
    expect(floods.map((f) => f.limit)).toEqual(['maxPerTurn']);
  });

  it('checks unanswered requests and unread bytes on requests only', () => {
    const floods: Flood[] = [];
    const guard = new FloodGuard({
      limits: { maxUnanswered: 1, maxQueuedBytes: 10 },
      unanswered: () => 0,
      queuedBytes: () => 11,
      onFlood: (f) => floods.push(f),
    });
    guard.inbound(false);
    expect(floods).toEqual([]);
    guard.inbound(true);
    expect(floods.map((f) => f.limit)).toEqual(['maxQueuedBytes']);
  });

  it('an endpoint counts what is not an answer to its requests, and stops at once when closed', () => {
    let inbound = 0;
    const endpoint: RpcEndpoint = new RpcEndpoint({
      write: () => {},
      onInbound: () => {
        if (++inbound === 3) endpoint.close('flood');
      },
    });
    const { id, result } = endpoint.request('x');
    result.catch(() => {});
    endpoint.receive({ jsonrpc: '2.0', id, result: 1 }); // an answer: not counted
    endpoint.receive({ jsonrpc: '2.0', id: 99, result: 1 }); // an answer to nothing: counted
    endpoint.problem('not JSON'); // counted
    endpoint.receive([
      { jsonrpc: '2.0', method: 'a' },
      { jsonrpc: '2.0', method: 'b' },
      { jsonrpc: '2.0', method: 'c' },
    ]);
    expect(inbound).toBe(3);
    expect(endpoint.closed).toBe(true);
  });

  it('solicited notifications (stream items within credit) are answers; the rest, and requests, count', () => {
    const counted: boolean[] = [];
    const endpoint = new RpcEndpoint({ write: () => {}, onInbound: (request) => counted.push(request) });
    let credit = 2;
    endpoint.solicits('x/item', (params) => (params as { id?: unknown }).id === 7 && credit-- > 0);
    endpoint.onNotification('x/item', () => {});
    endpoint.onRequest('x/host', () => null);
    const item = { jsonrpc: '2.0', method: 'x/item', params: { id: 7, value: 1 } };
    endpoint.receive([item, item]); // within the credit: not counted
    expect(counted).toEqual([]);
    endpoint.receive(item); // past it
    endpoint.receive({ jsonrpc: '2.0', method: 'x/item', params: { id: 8, value: 1 } }); // another stream
    endpoint.receive({ jsonrpc: '2.0', id: 1, method: 'x/host', params: { fn: 'log', args: [] } });
    expect(counted).toEqual([false, false, true]);
    // A predicate that throws counts the message rather than letting it through.
    endpoint.solicits('x/item', () => {
      throw new Error('broken');
    });
    endpoint.receive(item);
    expect(counted).toHaveLength(4);
  });
});
