import { inspect, isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wireValue } from '../../contract/src/wire/wire-values.js';
import type { Isolation } from '../src/index.js';
import { sameValue, useEchoHandles } from './wire-fixtures.js';

// DESIGN.md, "Data across isolation": every value of the data model comes back from a worker and
// from a process exactly as in-process (deep equality, Object.is on numbers, prototypes compared:
// a Uint8Array must not come back as a Buffer or an object of indices). X_FIDELITY_RUNS sets the
// number of runs (default 1000; `pnpm soak` may raise it); each run sends a batch of values.

const RUNS = Number(process.env.X_FIDELITY_RUNS ?? 1000);
const ISOLATIONS: Isolation[] = ['in-process', 'worker', 'process'];

const handles = useEchoHandles(ISOLATIONS);

describe('value fidelity across isolation (protocol version 2)', () => {
  it(`gives in-process, worker and process the same values (${RUNS} runs, property)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(wireValue, { minLength: 1, maxLength: 8 }), async (values) => {
        for (const isolation of ISOLATIONS) {
          const back = (await handles.get(isolation)!.call('echo', [{ values }])) as { values: unknown[] };
          for (let i = 0; i < values.length; i++) {
            if (!sameValue(back.values[i], values[i])) {
              expect.fail(
                `${isolation} changed ${inspect(values[i], { depth: 9 })} into ${inspect(back.values[i], { depth: 9 })}`,
              );
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it.each(['worker', 'process'] as const)(
    '%s: the values JSON lost in version 1 now come back exactly',
    async (isolation) => {
      const sent = {
        bytes: new Uint8Array([0, 1, 255]),
        date: new Date(1_700_000_000_123),
        big: 2n ** 64n + 1n,
        nan: Number.NaN,
        negativeZero: -0,
        inf: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
        missing: undefined,
        lone: '\udc00',
      };
      const back = (await handles.get(isolation)!.call('echo', [sent])) as typeof sent;
      expect(Object.getPrototypeOf(back.bytes)).toBe(Uint8Array.prototype);
      expect(back.date).toBeInstanceOf(Date);
      expect(Object.is(back.negativeZero, -0)).toBe(true);
      expect('missing' in back).toBe(true);
      expect(isDeepStrictEqual(back, sent)).toBe(true);
    },
  );
});
