import { MessageChannel } from 'node:worker_threads';
import { defineContract } from '@x/contract';
import { portEndpoint, STREAM_METHODS } from '@x/contract/wire';
import { describe, expect, it } from 'vitest';
import { type Isolation, loadPlugin } from '../../src/index.js';
import {
  DEFAULT_STREAM_CREDIT,
  MAX_STREAM_CREDIT,
  remoteSource,
  STREAM_CREDIT_BYTES,
} from '../../src/talkback/remote-stream.js';
import { creditWindow } from '../../src/talkback/stream-credit.js';
import type { Project } from '../fixtures.js';
import { MODES } from '../isolation-helpers.js';
import { useTalkbackProject } from './talkback-fixture.js';

// The stream credit is bounded in bytes as well as in items: a plugin on this @x/contract stops at
// the bytes credit (`bytes` in x/stream and x/credit), and for one that counts items only (an
// older @x/contract) the host sizes its window in items by the largest item it has seen.

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('the window in items is the bytes bound over the largest item, within 1 and MAX_STREAM_CREDIT', () => {
  expect(creditWindow(64 * 1024)).toBe(STREAM_CREDIT_BYTES / (64 * 1024));
  expect(creditWindow(16)).toBe(MAX_STREAM_CREDIT);
  expect(creditWindow(STREAM_CREDIT_BYTES * 2)).toBe(1);
  expect(creditWindow(0)).toBe(MAX_STREAM_CREDIT);
});

const CONTRACT = {
  name: 'chunky',
  methods: {
    chunks: {
      params: [
        { name: 'n', type: 'number' },
        { name: 'size', type: 'number' },
      ],
      returns: { type: 'AsyncIterator', items: { type: 'Uint8Array' } },
    },
    produced: { params: [], returns: 'number' },
  },
} as const;
const chunky = defineContract(CONTRACT as never);

function addChunkyPlugin(project: Project): void {
  project.link('@x/contract');
  project.link('@x/sdk');
  project.addPlugin('chunky-plugin', {
    packageJson: { xPlugin: { contract: 'chunky' } },
    files: {
      'index.js': `import { definePlugin } from '@x/sdk';
const contract = ${JSON.stringify(CONTRACT)};
let produced = 0;
export const plugin = definePlugin(contract, () => ({
  chunks: async function* (n, size) {
    produced = 0;
    for (let i = 0; i < n; i++) { produced++; yield new Uint8Array(size).fill(i & 255); }
  },
  produced: () => produced,
}));
`,
    },
  });
}

describe('stream credit in bytes', () => {
  const env = useTalkbackProject(addChunkyPlugin);

  it.each<Isolation>(['in-process', ...MODES])(
    '%s: 1 MiB items to a slow consumer: the plugin runs ahead by the bytes credit, not by 64 items',
    async (isolation) => {
      const handle = await loadPlugin('chunky-plugin', { cwd: env.project.dir, contract: chunky, isolation });
      env.handles.push(handle);
      const stream = (await handle.call('chunks', [200, MiB])) as AsyncIterable<Uint8Array>;
      const iterator = stream[Symbol.asyncIterator]();
      for (let i = 0; i < 2; i++) expect((await iterator.next()).value?.[0]).toBe(i);
      await sleep(300);
      const ahead = Number(await handle.call('produced', [])) - 2;
      // 16 MiB of credit is 16 items of 1 MiB (the last may go over by one); in-process, one.
      const bound = isolation === 'in-process' ? 1 : STREAM_CREDIT_BYTES / MiB + 1;
      expect(ahead).toBeLessThanOrEqual(bound);
      expect(ahead).toBeLessThan(DEFAULT_STREAM_CREDIT);
      let taken = 2;
      for (;;) {
        const r = await iterator.next();
        if (r.done) break;
        expect(r.value.byteLength).toBe(MiB);
        expect(r.value[0]).toBe(taken & 255);
        taken++;
      }
      expect(taken).toBe(200);
    },
    60_000,
  );
});

it('a plugin that counts items only: once the items show their size, the window shrinks to the bytes bound', async () => {
  // A plugin end written by hand, as an older @x/contract serves a stream: it ignores `bytes`.
  const { port1, port2 } = new MessageChannel();
  const host = portEndpoint(port1, { version: 2 });
  const plugin = portEndpoint(port2, { version: 2 });
  let credit = 0;
  let sent = 0;
  let streamId = -1;
  const size = MiB;
  const pump = () => {
    for (; credit > 0; credit--, sent++)
      plugin.notify(STREAM_METHODS.item, { id: streamId, value: new Uint8Array(size) });
  };
  plugin.onRequest(STREAM_METHODS.stream, (params, id) => {
    streamId = id as number;
    credit = (params as { credit: number }).credit;
    pump();
    return new Promise(() => {});
  });
  plugin.onNotification(STREAM_METHODS.credit, (params) => {
    const { n } = params as { n: number };
    if (!(n > 0)) return; // as an older plugin does: n of 0 (bytes only) is no credit
    credit += n;
    pump();
  });
  try {
    const source = remoteSource('old-plugin', host, 'chunks', [], () => {});
    // The first 64 items were granted before any size was known; taken, they are not granted again.
    let taken = 0;
    for (; taken < DEFAULT_STREAM_CREDIT + 8; taken++) {
      const r = await source.next();
      expect(r.done).toBe(false);
    }
    await sleep(50);
    // 16 MiB of 1 MiB items: a window of 16 items.
    expect(sent - taken).toBeLessThanOrEqual(STREAM_CREDIT_BYTES / size);
    expect(sent).toBeGreaterThan(DEFAULT_STREAM_CREDIT);
    await source.cancel();
  } finally {
    port1.close();
    port2.close();
  }
});
