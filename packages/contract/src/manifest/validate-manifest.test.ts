import { describe, expect, it } from 'vitest';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../protocol.js';
import { validateManifest } from './validate-manifest.js';

const pkg = (xPlugin: unknown) => ({ name: 'p', version: '1.0.0', xPlugin });
const fields = (xPlugin: unknown) => validateManifest(pkg(xPlugin)).problems.map((p) => p.field);

describe('validateManifest', () => {
  it('applies the defaults of a Node plugin', () => {
    expect(validateManifest(pkg({ contract: 'greeter' }))).toEqual({
      manifest: { contract: 'greeter', export: 'plugin', isolation: 'in-process' },
      problems: [],
      unknownFields: [],
    });
  });

  it('reads the command of a plugin speaking x, and makes process its isolation', () => {
    expect(
      validateManifest(pkg({ contract: 'greeter', command: ['python3', './plugin.py'] })).manifest,
    ).toEqual({
      contract: 'greeter',
      export: 'plugin',
      command: ['python3', './plugin.py'],
      isolation: 'process',
    });
  });

  it("defaults a go-plugin handshake to @x/contract's cookie and version 1", () => {
    const { manifest } = validateManifest(
      pkg({ contract: 'greeter', protocol: 'go-plugin', command: ['./bin/p', '-v'] }),
    );
    expect(manifest).toEqual({
      contract: 'greeter',
      export: 'plugin',
      protocol: 'go-plugin',
      isolation: 'process',
      command: ['./bin/p', '-v'],
      handshake: {
        protocolVersion: 1,
        magicCookieKey: MAGIC_COOKIE_KEY,
        magicCookieValue: MAGIC_COOKIE_VALUE,
      },
    });
  });

  it('names every field at fault, not only the first', () => {
    expect(fields(undefined)).toEqual(['xPlugin']);
    expect(fields([])).toEqual(['xPlugin']);
    expect(fields({ contract: '', export: 3, isolation: 'thread' })).toEqual([
      'xPlugin.contract',
      'xPlugin.export',
      'xPlugin.isolation',
    ]);
    expect(fields({ contract: 'g', command: [] })).toEqual(['xPlugin.command']);
    expect(fields({ contract: 'g', command: 'python3 plugin.py' })).toEqual(['xPlugin.command']);
    expect(fields({ contract: 'g', command: ['python3', ''] })).toEqual(['xPlugin.command']);
    expect(fields({ contract: 'g', command: ['../../bin/sh'] })).toEqual(['xPlugin.command']);
    expect(fields({ contract: 'g', command: ['./bin/../../../x'] })).toEqual(['xPlugin.command']);
    expect(fields({ contract: 'g', command: ['./bin/plugin'] })).toEqual([]);
    expect(fields({ contract: 'g', command: ['python3'], isolation: 'worker' })).toEqual([
      'xPlugin.isolation',
    ]);
    expect(fields({ contract: 'g', protocol: 'grpc' })).toEqual(['xPlugin.protocol']);
    expect(fields({ contract: 'g', protocol: 'go-plugin' })).toEqual(['xPlugin.command']);
    expect(fields({ contract: 'g', protocol: 'go-plugin', command: ['x'], isolation: 'in-process' })).toEqual(
      ['xPlugin.isolation'],
    );
    expect(
      fields({ contract: 'g', protocol: 'go-plugin', command: ['x'], handshake: { protocolVersion: 0 } }),
    ).toEqual(['xPlugin.handshake.protocolVersion']);
    expect(
      fields({
        contract: 'g',
        protocol: 'go-plugin',
        command: ['x'],
        handshake: { magicCookieKey: 7, magicCookieValue: '' },
      }),
    ).toEqual(['xPlugin.handshake.magicCookieKey', 'xPlugin.handshake.magicCookieValue']);
  });

  it('reports unknown fields without refusing the manifest', () => {
    const result = validateManifest(pkg({ contract: 'g', isolaton: 'worker' }));
    expect(result.manifest).toBeDefined();
    expect(result.unknownFields).toEqual(['isolaton']);
  });

  it('never throws, whatever it is given', () => {
    for (const value of [
      null,
      1,
      'x',
      [],
      { xPlugin: null },
      { xPlugin: { contract: {} } },
      Object.create(null),
    ]) {
      expect(() => validateManifest(value)).not.toThrow();
    }
  });

  it("reads a go-plugin plugin's own service: proto inside the package, a qualified service, both or neither", () => {
    const go = { contract: 'kv-contract', protocol: 'go-plugin', command: ['./bin/kv'] };
    const { manifest } = validateManifest(pkg({ ...go, proto: 'proto/kv.proto', service: 'proto.KV' }));
    expect(manifest).toMatchObject({ proto: 'proto/kv.proto', service: 'proto.KV' });
    for (const proto of [
      '../kv.proto',
      '/etc/kv.proto',
      'proto/../../kv.proto',
      'proto\\kv.proto',
      'C:/kv.proto',
    ])
      expect(fields({ ...go, proto, service: 'proto.KV' })).toEqual(['xPlugin.proto']);
    expect(fields({ ...go, proto: 'proto/kv.txt', service: 'proto.KV' })).toEqual(['xPlugin.proto']);
    expect(fields({ ...go, proto: 3, service: 'proto.KV' })).toEqual(['xPlugin.proto']);
    for (const service of ['proto..KV', 'KV/Get', '', ' proto.KV', 7])
      expect(fields({ ...go, proto: 'kv.proto', service })).toEqual(['xPlugin.service']);
    expect(fields({ ...go, proto: 'kv.proto' })).toEqual(['xPlugin.service']);
    expect(fields({ ...go, service: 'proto.KV' })).toEqual(['xPlugin.proto']);
    expect(fields({ contract: 'greeter', command: ['./x'], proto: 'kv.proto', service: 'proto.KV' })).toEqual(
      ['xPlugin.proto', 'xPlugin.service'],
    );
  });

  it("reads xPlugin.broker: the host's gRPC service for its host functions and the request field of its id", () => {
    const go = {
      contract: 'counter-contract',
      protocol: 'go-plugin',
      command: ['./bin/counter'],
      proto: 'proto/kv.proto',
      service: 'proto.Counter',
    };
    const broker = { service: 'proto.AddHelper', idField: 'add_server' };
    expect(validateManifest(pkg({ ...go, broker })).manifest).toMatchObject({ broker });
    expect(fields({ ...go, broker: 'proto.AddHelper' })).toEqual(['xPlugin.broker']);
    expect(fields({ ...go, broker: { ...broker, service: 'proto/AddHelper' } })).toEqual([
      'xPlugin.broker.service',
    ]);
    expect(fields({ ...go, broker: { ...broker, idField: 'add-server' } })).toEqual([
      'xPlugin.broker.idField',
    ]);
    expect(fields({ ...go, broker: { ...broker, extra: 1 } })).toEqual(['xPlugin.broker.extra']);
    expect(fields({ ...go, proto: undefined, service: undefined, broker })).toEqual(['xPlugin.broker']);
    expect(fields({ contract: 'greeter', command: ['./x'], broker })).toEqual(['xPlugin.broker']);
  });
});
