import { describe, expect, it } from 'vitest';
import { PLUGIN_STAMP } from '../protocol.js';
import { PLUGIN_FACTORY } from '../talkback/index.js';
import { chooseVersion, describeExport, parseVersions, readHandshake, WIRE_METHODS } from './handshake.js';
import { servePluginOver } from './serve.js';

describe('wire protocol helpers', () => {
  it('parses an offer and picks the newest common version', () => {
    expect(parseVersions('1, 3,x,-2,2')).toEqual([1, 3, 2]);
    expect(parseVersions(undefined)).toEqual([]);
    expect(chooseVersion([1, 2, 3], [2, 3, 4])).toBe(3);
    expect(chooseVersion([1], [2])).toBeUndefined();
  });

  it('describes an export, its inherited methods and stamp', () => {
    class English {
      greet() {
        return 'hi';
      }
    }
    const value = Object.assign(new English(), { lang: 'x' });
    Object.defineProperty(value, PLUGIN_STAMP, { value: { contract: 'greeter' } });
    const shape = describeExport({ plugin: value, other: 1 }, 'plugin');
    expect(shape.exportNames).toEqual(['plugin', 'other']);
    expect(shape.members).toEqual({ lang: 'string', greet: 'function' });
    expect(shape.stamp).toEqual({ contract: 'greeter' });
    expect(describeExport({}, 'plugin').members).toBeNull();
    expect(describeExport({ default: { plugin: { a: 1 } } }, 'plugin').members).toEqual({ a: 'number' });
  });

  it('serves: handshake first, then calls and errors', async () => {
    const handlers = new Map<string, (p: unknown) => unknown>();
    const sent: [string, unknown][] = [];
    const connection = {
      onRequest: (m: string, h: (p: unknown) => unknown) => handlers.set(m, h),
      notify: (m: string, p: unknown) => sent.push([m, p]),
    };
    const chosen = await servePluginOver(connection, {
      offered: [1],
      exportName: 'plugin',
      load: async () => ({
        plugin: {
          greet: (n: string) => `hi ${n}`,
          boom: () => {
            throw new RangeError('no');
          },
          later: async (n: number) => n + 1,
          sadLater: async () => {
            throw new TypeError('later no');
          },
        },
      }),
    });
    expect(chosen).toBe(1);
    expect(sent[0]?.[0]).toBe(WIRE_METHODS.handshake);
    expect(sent[0]?.[1]).toMatchObject({ protocolVersion: 1, plugin: { members: { greet: 'function' } } });
    const call = handlers.get(WIRE_METHODS.call)!;
    // A synchronous method answers synchronously; an async one with a promise.
    expect(call({ method: 'greet', args: ['Go'] })).toBe('hi Go');
    expect(() => call({ method: 'boom', args: [] })).toThrow(
      expect.objectContaining({
        code: -32001,
        data: expect.objectContaining({ name: 'RangeError', message: 'no' }),
      }),
    );
    await expect(call({ method: 'later', args: [1] })).resolves.toBe(2);
    await expect(call({ method: 'sadLater', args: [] })).rejects.toMatchObject({
      code: -32001,
      data: { name: 'TypeError', message: 'later no' },
    });
    // A method that is not there, or args that are not an array, are invalid params.
    expect(() => call({ method: 'nope', args: [] })).toThrow(expect.objectContaining({ code: -32602 }));
    expect(() => call({ method: 'greet', args: 'x' })).toThrow(expect.objectContaining({ code: -32602 }));
    expect(() => call(null)).toThrow(expect.objectContaining({ code: -32602 }));
  });

  it('reports a load failure in the handshake', async () => {
    const sent: unknown[] = [];
    await servePluginOver(
      { onRequest: () => {}, notify: (_m: string, p: unknown) => sent.push(p) },
      {
        offered: [1],
        versions: [7],
        exportName: 'plugin',
        load: () => Promise.reject(new Error('no config')),
      },
    );
    expect(sent[0]).toMatchObject({ protocolVersion: 7, versions: [7], error: { message: 'no config' } });
  });

  it('says `ready` for an object-form export with nothing to dispose only: a factory waits for x/init', async () => {
    const handshakeOf = async (plugin: unknown) => {
      const sent: unknown[] = [];
      await servePluginOver(
        { onRequest: () => {}, notify: (_m: string, p: unknown) => sent.push(p) },
        { offered: [2], exportName: 'plugin', load: async () => ({ plugin }) },
      );
      return sent[0] as Record<string, unknown>;
    };
    expect(await handshakeOf({ greet: () => 'hi' })).toMatchObject({ talkback: true, ready: true });
    // Something for x/dispose to run: not ready.
    const disposer = { greet: () => 'hi', [Symbol.for('nodejs.asyncDispose')]: async () => {} };
    expect(await handshakeOf(disposer)).not.toHaveProperty('ready');
    let made = 0;
    const factory = {
      [PLUGIN_FACTORY]: {
        contract: { name: 'greeter', methods: { greet: { params: [], returns: {} } } },
        create: () => {
          made++;
          return { greet: () => 'hi' };
        },
      },
    };
    const shake = await handshakeOf(factory);
    expect(shake).toMatchObject({ talkback: true });
    expect(shake).not.toHaveProperty('ready');
    expect(made).toBe(0);
  });

  it('reads a handshake off the wire, or says what is wrong with it', () => {
    const good = {
      protocolVersion: 1,
      versions: [1],
      plugin: { exportNames: ['plugin'], members: { a: 'function' } },
    };
    expect(readHandshake(good)).toEqual(good);
    expect(readHandshake({ protocolVersion: 2, error: { name: 'Error', message: 'x' } })).toMatchObject({
      versions: [2],
    });
    for (const bad of [
      null,
      5,
      [],
      {},
      { protocolVersion: '1', plugin: good.plugin },
      { protocolVersion: 1 },
      { protocolVersion: 1, versions: ['1'], plugin: good.plugin },
      { protocolVersion: 1, plugin: { exportNames: 'plugin', members: null } },
      { protocolVersion: 1, plugin: { exportNames: [], members: { a: 1 } } },
      { protocolVersion: 1, error: 'boom' },
    ]) {
      expect(typeof readHandshake(bad), JSON.stringify(bad)).toBe('string');
    }
  });
});
