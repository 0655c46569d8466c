import { tracingChannel } from 'node:diagnostics_channel';
import { greeter } from '@x/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { CALL_CHANNEL, createHost, type Isolation } from '../src/index.js';
import { Project } from './fixtures.js';

// DESIGN.md, "Operations": every call is published on the tracing channel `x-plugin:call`
// (start, end, asyncStart, asyncEnd, error), its context naming plugin, method and isolation, so
// that OpenTelemetry or any APM can trace plugin calls without the host depending on it.

const project = new Project();
project.addPlugin('greeter-plugin-english');
const host = createHost({ cwd: project.dir });
afterAll(async () => {
  await host.close();
  project.remove();
});

type Event = {
  event: string;
  plugin: string;
  method: string;
  isolation: string;
  error?: unknown;
  durationMs?: number;
};

function record(): { events: Event[]; stop(): void } {
  const events: Event[] = [];
  const channel = tracingChannel(CALL_CHANNEL);
  const on = (event: string) => (ctx: unknown) => {
    const c = ctx as Event;
    events.push({
      event,
      plugin: c.plugin,
      method: c.method,
      isolation: c.isolation,
      error: c.error,
      durationMs: c.durationMs,
    });
  };
  const handlers = {
    start: on('start'),
    end: on('end'),
    asyncStart: on('asyncStart'),
    asyncEnd: on('asyncEnd'),
    error: on('error'),
  };
  channel.subscribe(handlers);
  return { events, stop: () => channel.unsubscribe(handlers) };
}

describe('the x-plugin:call tracing channel', () => {
  it.each(['in-process', 'worker', 'process'] as Isolation[])(
    'sees every call, answered or failed (%s)',
    async (isolation) => {
      const handle = await host.load('greeter-plugin-english', { contract: greeter, isolation });
      const trace = record();
      try {
        await handle.plugin.greet('World');
        await expect(handle.call('greet', [42])).rejects.toMatchObject({ code: 'ERR_PLUGIN_CONTRACT' });
      } finally {
        trace.stop();
        await handle.close();
      }
      const ctx = { plugin: 'greeter-plugin-english', method: 'greet', isolation };
      expect(trace.events.map((e) => e.event)).toEqual([
        'start',
        'end',
        'asyncStart',
        'asyncEnd',
        'start',
        'end',
        'error',
        'asyncStart',
        'asyncEnd',
      ]);
      for (const e of trace.events) expect(e).toMatchObject(ctx);
      expect(trace.events.find((e) => e.event === 'error')?.error).toMatchObject({
        code: 'ERR_PLUGIN_CONTRACT',
      });
      // The duration is known from the call's settlement on: error, asyncStart, asyncEnd.
      for (const e of trace.events) {
        if (e.event === 'start' || e.event === 'end') expect(e.durationMs).toBeUndefined();
        else expect(e.durationMs).toBeGreaterThanOrEqual(0);
      }
    },
  );

  it('costs nothing to a host with no subscriber: calls still answer', async () => {
    const handle = await host.load('greeter-plugin-english', { contract: greeter });
    expect(await handle.plugin.lang()).toBe('English');
    expect(handle.stats()).toMatchObject({ calls: 1, errors: 0, inFlight: 0 });
    await handle.close();
  });
});
