import { defineContract, type Infer } from '../define-contract.js';

/** The Go tutorial's `Greeter` interface: `Greet(name string) string` and `Lang() string`. */
export const greeter = defineContract({
  name: 'greeter',
  description: 'Greets someone in one language.',
  methods: {
    greet: {
      params: [{ name: 'name', type: 'string' }],
      returns: 'string',
      description: 'A greeting for name.',
    },
    lang: { params: [], returns: 'string', description: 'The language greetings are in.' },
  },
});

export type Greeter = Infer<typeof greeter>;
