import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineContract, greeter, t } from '@x/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { loadService } from './load-service.js';
import { mapService } from './rpc-mapping.js';

const dir = mkdtempSync(join(tmpdir(), 'x-proto-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// go-plugin's examples/grpc/proto/kv.proto, as it is upstream.
const KV_PROTO = `syntax = "proto3";
package proto;
message GetRequest { string key = 1; }
message GetResponse { bytes value = 1; }
message PutRequest { string key = 1; bytes value = 2; }
message Empty {}
service KV {
    rpc Get(GetRequest) returns (GetResponse);
    rpc Put(PutRequest) returns (Empty);
}
`;

// Every other mapped kind, with an import of its own and a well-known type.
const RICH_PROTO = `syntax = "proto3";
package rich.v1;
import "google/protobuf/empty.proto";
import "google/protobuf/timestamp.proto";
import "common/size.proto";
enum Color { RED = 0; BLUE = 1; }
message Item { string name = 1; int64 count = 2; repeated bytes blobs = 3; common.Size size = 4; }
message Order {
  string id = 1;
  uint64 total = 2;
  repeated Item items = 3;
  map<string, int32> tags = 4;
  Color color = 5;
  google.protobuf.Timestamp at = 6;
  int32 small = 7;
}
message Ack { Order order = 1; }
service Shop {
  rpc Place(Order) returns (Ack);
  rpc Ping(google.protobuf.Empty) returns (google.protobuf.Empty);
  rpc Count(Item) returns (Item);
}
`;

mkdirSync(join(dir, 'proto', 'common'), { recursive: true });
writeFileSync(join(dir, 'proto', 'kv.proto'), KV_PROTO);
writeFileSync(join(dir, 'proto', 'rich.proto'), RICH_PROTO);
writeFileSync(
  join(dir, 'proto', 'common', 'size.proto'),
  'syntax = "proto3"; package common; message Size { int32 w = 1; int32 h = 2; }',
);

const kv = defineContract({
  name: 'kv',
  methods: {
    get: { params: [{ name: 'key', type: 'string' }], returns: t.bytes() },
    put: {
      params: [
        { name: 'key', type: 'string' },
        { name: 'value', type: t.bytes() },
      ],
      returns: 'void',
    },
  },
});

const item = t.object({
  name: t.string(),
  count: t.bigint(),
  blobs: t.array(t.bytes()),
  size: t.optional(t.object({ w: t.integer(), h: t.integer() })),
});
const order = t.object({
  id: t.string(),
  total: t.bigint(),
  items: t.array(item),
  tags: t.record(t.integer()),
  color: t.enum(['RED', 'BLUE']),
  at: t.optional(t.date()),
  small: t.optional(t.integer()),
});
const shop = defineContract({
  name: 'shop',
  methods: {
    place: { params: [{ name: 'order', type: order }], returns: t.object({ order: order }) },
    ping: { params: [], returns: 'void' },
    count: {
      params: [
        { name: 'name', type: 'string' },
        { name: 'count', type: t.bigint() },
      ],
      returns: item,
    },
  },
});

const map = (contract: Parameters<typeof mapService>[1], proto: string, service: string) =>
  mapService('p', contract, loadService('p', dir, contract, { proto, service }).service);

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error('did not throw');
};

describe('mapService', () => {
  it("maps go-plugin's KV: bytes as Uint8Array both ways, Empty as void", () => {
    const { methods, service } = map(kv, 'proto/kv.proto', 'proto.KV');
    expect(service).toBe('proto.KV');
    expect(methods.get!.path).toBe('/proto.KV/Get');
    const put = methods.put!.encode(['k', new Uint8Array([0, 255, 10])]);
    expect(Buffer.from(put).toString('hex')).toBe('0a016b120300ff0a');
    // GetResponse { value: "\x01\x02" }
    const value = methods.get!.decode(Buffer.from('0a020102', 'hex'));
    expect(value).toEqual(new Uint8Array([1, 2]));
    expect(Buffer.isBuffer(value)).toBe(false);
    expect(methods.put!.decode(new Uint8Array())).toBeUndefined();
  });

  it('refuses a string for a bytes field, blaming the caller, and never decodes it', () => {
    const { methods } = map(kv, 'proto/kv.proto', 'proto.KV');
    const error = thrown(() => methods.put!.encode(['k', 'AQI=']));
    expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
    expect(error.details).toMatchObject({ side: 'host', path: 'value', actual: 'string' });
    expect(error.message).toMatch(/called with a value its gRPC request cannot carry; nothing was sent/);
  });

  it('carries int64/uint64 as bigint, repeated, nested, enums, maps, timestamps and imports', () => {
    const { methods } = map(shop, 'proto/rich.proto', 'rich.v1.Shop');
    const value = {
      id: 'o1',
      total: 2n ** 64n - 1n,
      items: [{ name: 'a', count: -(2n ** 63n), blobs: [new Uint8Array([7])], size: { w: 1, h: 2 } }],
      tags: { x: 1, y: -2 },
      color: 'BLUE' as const,
      at: new Date(1_700_000_000_123),
      small: 5,
    };
    // The plugin echoes the order back inside an Ack: Ack.order has field number 1.
    const request = methods.place!.encode([value]);
    const ack = Buffer.concat([Buffer.from([0x0a, request.length]), request]);
    expect(methods.place!.decode(ack)).toEqual({ order: value });
    expect(methods.ping!.encode([]).length).toBe(0);
    // A field-per-param request, answered by a whole message; an unset nested message is left out.
    const counted = methods.count!.encode(['n', 3n]);
    expect(methods.count!.decode(counted)).toEqual({ name: 'n', count: 3n, blobs: [] });
  });

  it('refuses values protobufjs would silently change', () => {
    const { methods } = map(shop, 'proto/rich.proto', 'rich.v1.Shop');
    const base = { id: 'o', total: 1n, items: [], tags: {}, color: 'RED' };
    const side = (v: object) => thrown(() => methods.place!.encode([{ ...base, ...v }])).details;
    expect(side({ total: 2n ** 64n })).toMatchObject({ side: 'host', path: 'order.total' });
    expect(side({ total: -1n })).toMatchObject({ path: 'order.total' });
    expect(side({ small: 2 ** 31 })).toMatchObject({ path: 'order.small' });
    expect(side({ color: 'GREEN' })).toMatchObject({ path: 'order.color' });
    expect(side({ idd: 'typo' })).toMatchObject({ path: 'order.idd', actual: 'an unknown key' });
    expect(side({ items: [{ name: 'a', count: 1n, blobs: ['x'] }] })).toMatchObject({
      path: 'order.items[0].blobs[0]',
    });
  });

  it('blames the plugin for an answer the contract cannot hold', () => {
    const narrow = defineContract({
      name: 'kv',
      methods: { get: { params: [{ name: 'key', type: 'string' }], returns: t.bytes() } },
    });
    const { methods } = map(narrow, 'proto/kv.proto', 'proto.KV');
    const error = thrown(() => methods.get!.decode(Buffer.from([0xff, 0xff, 0xff])));
    expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
    expect(error.details.side).toBe('plugin');
  });

  it('refuses at load where contract and service disagree, naming method, field and both types', () => {
    const wrong = (methods: Parameters<typeof defineContract>[0]['methods']) =>
      thrown(() => map(defineContract({ name: 'kv', methods }), 'proto/kv.proto', 'proto.KV'));
    const asString = wrong({ get: { params: [{ name: 'key', type: 'string' }], returns: 'string' } });
    expect(asString.details).toMatchObject({
      reason: 'proto',
      method: 'get',
      rpc: 'Get',
      protoType: 'bytes',
      schemaType: 'string',
    });
    expect(asString.message).toMatch(
      /at get\(\)\. The result \(proto\.GetResponse\.value\) is string in the contract, and Get's response carries it as bytes\./,
    );
    const noRpc = wrong({ list: { params: [], returns: 'void' } });
    expect(noRpc.message).toMatch(/It has no rpc List \(its rpcs: Get, Put\)/);
    const noField = wrong({ put: { params: [{ name: 'name', type: 'string' }], returns: 'void' } });
    expect(noField.details).toMatchObject({ method: 'put', field: 'name', protoType: '(no such field)' });
    const bigKey = wrong({ get: { params: [{ name: 'key', type: t.bigint() }], returns: t.bytes() } });
    expect(bigKey.details).toMatchObject({ field: 'key', protoType: 'string', schemaType: 'bigint' });
  });

  it("keeps v1's greeter: @x/contract's greeter.proto when the manifest names none", () => {
    const { service, methods } = mapService('g', greeter, loadService('g', dir, greeter, {}).service);
    expect(service).toBe('x.greeter.v1.Greeter');
    expect(methods.greet!.decode(methods.greet!.encode(['World']))).toBe('World');
  });

  it('refuses a proto that is missing, outside the package, or a service it lacks', () => {
    expect(
      thrown(() => loadService('p', dir, kv, { proto: 'proto/none.proto', service: 'proto.KV' })).details,
    ).toMatchObject({ field: 'xPlugin.proto' });
    const outside = mkdtempSync(join(tmpdir(), 'x-proto-out-'));
    writeFileSync(join(outside, 'kv.proto'), KV_PROTO);
    symlinkSync(join(outside, 'kv.proto'), join(dir, 'proto', 'link.proto'));
    expect(
      thrown(() => loadService('p', dir, kv, { proto: 'proto/link.proto', service: 'proto.KV' })).message,
    ).toMatch(/leads outside the package/);
    rmSync(outside, { recursive: true });
    const none = thrown(() => loadService('p', dir, kv, { proto: 'proto/kv.proto', service: 'proto.Kv' }));
    expect(none.code).toBe('ERR_PLUGIN_MANIFEST');
    expect(none.message).toMatch(/the service\(s\) proto\.KV/);
    writeFileSync(join(dir, 'proto', 'bad.proto'), 'syntax = "proto3"; message {');
    expect(thrown(() => loadService('p', dir, kv, { proto: 'proto/bad.proto', service: 'x.Y' })).code).toBe(
      'ERR_PLUGIN_LOAD',
    );
  });
});
