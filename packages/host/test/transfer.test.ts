import { transfer as contractTransfer, defineContract, t } from '@x/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Isolation, loadPlugin, type PluginHandle, transfer } from '../src/index.js';
import { Project } from './fixtures.js';
import { MODES, rejection } from './isolation-helpers.js';

// transfer(): a Uint8Array handed over instead of copied. Across a worker's port its buffer moves
// (the sender's array is detached afterwards, on either side); in-process and over a process the
// mark changes nothing and the sender keeps its bytes. Unmarked bytes are never moved.

const KiB = 1024;
const contract = defineContract({
  name: 'moves',
  methods: {
    echo: { params: [{ name: 'bytes', type: t.bytes() }], returns: t.bytes() },
    // The plugin keeps what it answered, then says what is left of it.
    keep: {
      params: [
        { name: 'size', type: t.number() },
        { name: 'move', type: t.boolean() },
      ],
      returns: t.bytes(),
    },
    kept: { params: [], returns: t.number() },
    pair: {
      params: [
        { name: 'a', type: t.bytes() },
        { name: 'b', type: t.bytes() },
      ],
      returns: t.number(),
    },
    chunks: { params: [{ name: 'n', type: t.number() }], returns: t.stream(t.bytes()) },
  },
});

// The plugin imports transfer() from its own @x/sdk (another copy of @x/contract than the worker's
// bootstrap): the mark must still be seen by the side that posts.
const PLUGIN = `import { transfer } from '@x/sdk';
let last;
export const plugin = {
  echo: (bytes) => bytes,
  keep(size, move) {
    last = new Uint8Array(size).fill(9);
    return move ? transfer(last) : last;
  },
  kept: () => last.byteLength,
  pair: (a, b) => a.byteLength + b.byteLength,
  async *chunks(n) {
    const sent = [];
    for (let i = 0; i < n; i++) {
      const chunk = transfer(new Uint8Array(${128 * KiB}).fill(i));
      sent.push(chunk);
      yield chunk;
    }
    last = { get byteLength() { return sent.reduce((sum, c) => sum + c.byteLength, 0); } };
  },
};
`;

let project: Project;
const handles = new Map<Isolation, PluginHandle>();
beforeAll(async () => {
  project = new Project();
  project.link('@x/contract');
  project.link('@x/sdk');
  project.addPlugin('moves-plugin', {
    packageJson: { xPlugin: { contract: 'moves' }, dependencies: { '@x/sdk': '*' } },
    files: { 'index.js': PLUGIN },
  });
  for (const isolation of ['in-process', ...MODES] as const) {
    handles.set(isolation, await loadPlugin('moves-plugin', { cwd: project.dir, contract, isolation }));
  }
}, 60_000);
afterAll(async () => {
  for (const handle of handles.values()) await handle.close();
  project.remove();
});

const filled = (size: number, byte: number) => new Uint8Array(size).fill(byte);
// expect().toEqual walks a large Uint8Array element by element (seconds for 256 KiB): compare bytes.
const same = (a: unknown, b: Uint8Array) => a instanceof Uint8Array && Buffer.compare(a, b) === 0;

it('is the same function from @x/host and @x/contract, and refuses what it cannot move', () => {
  expect(transfer).toBe(contractTransfer);
  const bytes = filled(10, 1);
  expect(transfer(bytes)).toBe(bytes);
  expect(() => transfer([1, 2] as unknown as Uint8Array)).toThrow(
    /takes a Uint8Array \(or Buffer\), not a Array/,
  );
  expect(() => transfer(new Uint8Array(new SharedArrayBuffer(8)))).toThrow(/SharedArrayBuffer/);
});

describe('worker plugin', () => {
  const handle = () => handles.get('worker')!;

  it.each([1 * KiB, 256 * KiB])(
    'moves a marked %d-byte argument: the caller is left a detached array',
    async (size) => {
      const bytes = transfer(filled(size, 5));
      expect(same(await handle().call('echo', [bytes]), filled(size, 5))).toBe(true);
      expect(bytes.byteLength).toBe(0);
    },
  );

  it('copies an unmarked argument, and a marked view of part of a buffer', async () => {
    const whole = filled(256 * KiB, 3);
    const part = transfer(whole.subarray(KiB));
    expect(same(await handle().call('echo', [whole]), whole)).toBe(true);
    expect(same(await handle().call('echo', [part]), filled(255 * KiB, 3))).toBe(true);
    expect(whole.byteLength).toBe(256 * KiB);
    expect(part.byteLength).toBe(255 * KiB);
  });

  it('moves one buffer passed twice in one call once', async () => {
    const bytes = transfer(filled(100 * KiB, 1));
    await expect(handle().call('pair', [bytes, bytes])).resolves.toBe(200 * KiB);
    expect(bytes.byteLength).toBe(0);
  });

  it("moves a plugin's marked result (the plugin's own array is detached) and copies an unmarked one", async () => {
    expect(same(await handle().call('keep', [300 * KiB, false]), filled(300 * KiB, 9))).toBe(true);
    await expect(handle().call('kept', [])).resolves.toBe(300 * KiB);
    expect(same(await handle().call('keep', [300 * KiB, true]), filled(300 * KiB, 9))).toBe(true);
    await expect(handle().call('kept', [])).resolves.toBe(0);
  });

  it("moves a stream's marked items", async () => {
    const got: Uint8Array[] = [];
    for await (const chunk of (await handle().call('chunks', [4])) as AsyncIterable<Uint8Array>)
      got.push(chunk);
    expect(got.map((c) => [c.byteLength, c[0]])).toEqual([0, 1, 2, 3].map((i) => [128 * KiB, i]));
    // The plugin's copies of the four chunks were moved: nothing of them is left on its side.
    await expect(handle().call('kept', [])).resolves.toBe(0);
  });

  it('refuses an array whose buffer was moved away already, blaming the caller, and goes on', async () => {
    const bytes = transfer(filled(KiB, 1));
    await handle().call('echo', [bytes]);
    const error = await rejection(handle().call('echo', [bytes]));
    expect(error.code).toBe('ERR_PLUGIN_PAYLOAD');
    expect(error.message).toMatch(/moved away already \(transfer\(\) detaches it/);
    expect(error.details).toMatchObject({ method: 'echo', side: 'host' });
    expect(same(await handle().call('echo', [filled(3, 2)]), filled(3, 2))).toBe(true);
  });
});

describe.each(MODES)('%s plugin, an array moved away before the call', (isolation) => {
  it('is refused at the sender as ERR_PLUGIN_PAYLOAD, blaming the caller, nested or not', async () => {
    const handle = handles.get(isolation)!;
    const gone = filled(KiB, 1);
    structuredClone(gone, { transfer: [gone.buffer as ArrayBuffer] });
    for (const call of [handle.call('echo', [gone]), handle.call('pair', [filled(2, 1), gone])]) {
      const error = await rejection(call);
      expect(error.code).toBe('ERR_PLUGIN_PAYLOAD');
      expect(error.message).toMatch(/moved away already/);
      // The same words from a worker's postMessage and a process's encoder.
      expect(error.message).toContain('An ArrayBuffer is detached and could not be cloned.');
      expect(error.details).toMatchObject({ side: 'host' });
    }
    // An empty array that was never moved is bytes like any other.
    expect(((await handle.call('echo', [new Uint8Array(0)])) as Uint8Array).byteLength).toBe(0);
  });
});

describe.each(['in-process', 'process'] as const)('%s plugin', (isolation) => {
  it('leaves a marked argument and result where they are', async () => {
    const handle = handles.get(isolation)!;
    const bytes = transfer(filled(256 * KiB, 4));
    expect(same(await handle.call('echo', [bytes]), filled(256 * KiB, 4))).toBe(true);
    expect(bytes.byteLength).toBe(256 * KiB);
    expect(same(await handle.call('keep', [100 * KiB, true]), filled(100 * KiB, 9))).toBe(true);
    await expect(handle.call('kept', [])).resolves.toBe(100 * KiB);
  });
});
