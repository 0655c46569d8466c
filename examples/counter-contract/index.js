import { defineContract, t } from '@x/contract';

/**
 * go-plugin's examples/bidirectional `shared.Counter` interface (`Put(key string, value int64, a
 * AddHelper) error`, `Get(key string) (int64, error)`) as a contract, its `AddHelper`
 * (`Sum(int64, int64) (int64, error)`) as the contract's host function. Plain JavaScript, so that
 * the package needs no build. The methods map onto `service proto.Counter` and the host function
 * onto `service proto.AddHelper`, which the host serves through go-plugin's GRPCBroker; its broker
 * id travels in `PutRequest.add_server` (the plugin's manifest says so in `xPlugin.broker`).
 */
export const counter = defineContract({
  name: 'counter',
  version: '1.0.0',
  description: "hashicorp/go-plugin's examples/bidirectional counter, which adds through the host.",
  methods: {
    get: { params: [{ name: 'key', type: t.string() }], returns: t.bigint() },
    put: {
      params: [
        { name: 'key', type: t.string() },
        { name: 'value', type: t.bigint() },
      ],
      returns: 'void',
    },
  },
  host: {
    sum: {
      params: [
        { name: 'a', type: t.bigint() },
        { name: 'b', type: t.bigint() },
      ],
      returns: t.bigint(),
    },
  },
});
