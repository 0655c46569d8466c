import { defineContract, t } from '@x/contract';

/**
 * go-plugin's examples/grpc `shared.KV` interface (`Put(key string, value []byte) error`,
 * `Get(key string) ([]byte, error)`) as a contract. Plain JavaScript, so that the package needs no
 * build: a contract is data. Its methods map onto `service proto.KV` (docs/polyglot.md): `get` ↔
 * `rpc Get(GetRequest) returns (GetResponse)`, the param `key` ↔ `GetRequest.key`, the result ↔
 * `GetResponse`'s one field `value` (bytes ↔ t.bytes()); `put` ↔ `rpc Put(PutRequest) returns (Empty)`.
 */
export const kv = defineContract({
  name: 'kv',
  version: '1.0.0',
  description: "hashicorp/go-plugin's examples/grpc key-value store.",
  methods: {
    get: { params: [{ name: 'key', type: t.string() }], returns: t.bytes() },
    put: {
      params: [
        { name: 'key', type: t.string() },
        { name: 'value', type: t.bytes() },
      ],
      returns: 'void',
    },
  },
});
