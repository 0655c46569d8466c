import { defineContract, type Infer } from '../define-contract.js';

/** The Go tutorial's `Transformer` interface: `Transform(input string) string` and `Name() string`. */
export const transformer = defineContract({
  name: 'transformer',
  description: 'Transforms a string.',
  methods: {
    transform: {
      params: [{ name: 'input', type: 'string' }],
      returns: 'string',
      description: 'The transformed input.',
    },
    name: { params: [], returns: 'string', description: 'The name of the transformation.' },
  },
});

export type Transformer = Infer<typeof transformer>;
