import type { Contract, t } from '@x/contract';

type Str = ReturnType<typeof t.string>;
type Big = ReturnType<typeof t.bigint>;

/** go-plugin's examples/bidirectional counter: `get(key) → bigint`, `put(key, bigint)`, host `sum(a, b)` (see index.js). */
export declare const counter: Contract<
  'counter',
  {
    get: { params: [{ name: 'key'; type: Str }]; returns: Big };
    put: { params: [{ name: 'key'; type: Str }, { name: 'value'; type: Big }]; returns: 'void' };
  },
  { sum: { params: [{ name: 'a'; type: Big }, { name: 'b'; type: Big }]; returns: Big } }
>;
