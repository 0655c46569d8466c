import type { Contract, t } from '@x/contract';

type Str = ReturnType<typeof t.string>;
type Bytes = ReturnType<typeof t.bytes>;

/** go-plugin's examples/grpc KV: `get(key) → bytes`, `put(key, bytes)` (see index.js). */
export declare const kv: Contract<
  'kv',
  {
    get: { params: [{ name: 'key'; type: Str }]; returns: Bytes };
    put: { params: [{ name: 'key'; type: Str }, { name: 'value'; type: Bytes }]; returns: 'void' };
  }
>;
