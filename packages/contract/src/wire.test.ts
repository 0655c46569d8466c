import { describe, expect, it } from 'vitest';
import { PLUGIN_STAMP } from './protocol.js';
import { chooseVersion, describeExport, parseVersions, servePluginOver, WIRE_METHODS } from './wire.js';

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
    const handlers = new Map<string, (p: never) => unknown>();
    const sent: [string, unknown][] = [];
    const connection = {
      onRequest: (m: string, h: (p: never) => unknown) => handlers.set(m, h),
      sendNotification: (m: string, p: unknown) => sent.push([m, p]),
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
        },
      }),
      responseError: (code, message, data) => Object.assign(new Error(message), { code, data }),
    });
    expect(chosen).toBe(1);
    expect(sent[0]?.[0]).toBe(WIRE_METHODS.handshake);
    expect(sent[0]?.[1]).toMatchObject({ protocolVersion: 1, plugin: { members: { greet: 'function' } } });
    const call = handlers.get(WIRE_METHODS.call)!;
    expect(await call({ method: 'greet', args: ['Go'] } as never)).toBe('hi Go');
    await expect(call({ method: 'boom', args: [] } as never)).rejects.toMatchObject({
      code: -32001,
      data: { name: 'RangeError', message: 'no' },
    });
  });

  it('reports a load failure in the handshake', async () => {
    const sent: unknown[] = [];
    await servePluginOver(
      { onRequest: () => {}, sendNotification: (_m: string, p: unknown) => sent.push(p) },
      {
        offered: [1],
        versions: [7],
        exportName: 'plugin',
        load: () => Promise.reject(new Error('no config')),
        responseError: (_c, m) => new Error(m),
      },
    );
    expect(sent[0]).toMatchObject({ protocolVersion: 7, versions: [7], error: { message: 'no config' } });
  });
});
