import { inspect, isDeepStrictEqual } from 'node:util';
import { type AnyContract, defineContract, type JsonSchema, PluginError, t } from '@x/contract';
import { compileContract } from '@x/contract/validate';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Isolation } from '../src/index.js';
import { Project } from './fixtures.js';
import { warmUp } from './isolation-helpers.js';
import { addEchoPlugin, type Echo, echoContract } from './wire-fixtures.js';

// Issue 12's property: contracts generated from the schema language (`t`), values generated from
// those contracts, and in-process, worker and process give identical results, or the same coded
// refusal at the sender. X_FIDELITY_RUNS (default 1000) and X_FIDELITY_CONTRACT_RUNS (default 20;
// each loads a plugin three times) set the runs; `pnpm soak` raises the first.

const RUNS = Number(process.env.X_FIDELITY_RUNS ?? 1000);
const CONTRACT_RUNS = Number(process.env.X_FIDELITY_CONTRACT_RUNS ?? 20);
const ISOLATIONS: Isolation[] = ['in-process', 'worker', 'process'];

/** A shape of the schema language: what both the schema and its values are built from. */
type Shape =
  | { k: 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'bytes' | 'bigint' | 'date' }
  | { k: 'literal'; v: string | number | boolean }
  | { k: 'enum'; vs: [string, ...string[]] }
  | { k: 'array' | 'nullable' | 'record'; of: Shape }
  | { k: 'union'; of: [Shape, Shape] }
  | { k: 'object'; props: [string, Shape, boolean][] };

const leaf = fc.constantFrom(
  ...(['string', 'number', 'integer', 'boolean', 'null', 'bytes', 'bigint', 'date'] as const).map((k) => ({
    k,
  })),
);
const key = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/);
const { shape } = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ k: fc.constant('literal' as const), v: fc.oneof(fc.string(), fc.integer(), fc.boolean()) }),
    fc.record({
      k: fc.constant('enum' as const),
      vs: fc.uniqueArray(key, { minLength: 1, maxLength: 4 }),
    }) as fc.Arbitrary<Shape>,
    fc.record({
      k: fc.constantFrom('array' as const, 'nullable' as const, 'record' as const),
      of: tie('shape'),
    }),
    fc.record({ k: fc.constant('union' as const), of: fc.tuple(tie('shape'), tie('shape')) }),
    fc.record({
      k: fc.constant('object' as const),
      props: fc.uniqueArray(fc.tuple(key, tie('shape'), fc.boolean()), {
        maxLength: 4,
        selector: (p) => p[0],
      }),
    }),
  ),
}));

function schemaOf(s: Shape): JsonSchema {
  switch (s.k) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
    case 'bytes':
    case 'bigint':
    case 'date':
      return t[s.k]();
    case 'literal':
      return t.literal(s.v);
    case 'enum':
      return t.enum(s.vs);
    case 'array':
      return t.array(schemaOf(s.of) as never);
    case 'nullable':
      return t.nullable(schemaOf(s.of) as never);
    case 'record':
      return t.record(schemaOf(s.of) as never);
    case 'union':
      return t.union([schemaOf(s.of[0]), schemaOf(s.of[1])] as never);
    case 'object':
      return t.object(
        Object.fromEntries(
          s.props.map(([name, p, optional]) => [
            name,
            optional ? t.optional(schemaOf(p) as never) : schemaOf(p),
          ]),
        ) as never,
      );
  }
}

function valuesOf(s: Shape): fc.Arbitrary<unknown> {
  switch (s.k) {
    case 'string':
      return fc.string({ unit: 'binary' });
    case 'number':
      return fc.double();
    case 'integer':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'bytes':
      return fc.uint8Array({ maxLength: 64 });
    case 'bigint':
      return fc.bigInt();
    case 'date':
      return fc.date({ noInvalidDate: true });
    case 'literal':
      return fc.constant(s.v);
    case 'enum':
      return fc.constantFrom(...s.vs);
    case 'array':
      return fc.array(valuesOf(s.of), { maxLength: 4 });
    case 'nullable':
      return fc.option(valuesOf(s.of), { nil: null });
    case 'record':
      return fc.dictionary(key, valuesOf(s.of), { maxKeys: 3 }).map((o) => ({ ...o }));
    case 'union':
      return fc.oneof(valuesOf(s.of[0]), valuesOf(s.of[1]));
    case 'object':
      // Objects cross as plain objects (docs/protocol.md, "Values"): a null prototype is not data.
      return fc
        .record(Object.fromEntries(s.props.map(([name, p]) => [name, valuesOf(p)])), {
          requiredKeys: s.props.filter(([, , optional]) => !optional).map(([name]) => name),
        })
        .map((o) => ({ ...o }));
  }
}

const caseOf = shape.chain((s) => fc.tuple(fc.constant(s), valuesOf(s)));
const contractFor = (schema: JsonSchema): AnyContract =>
  defineContract({
    name: 'shape-echo',
    methods: { echo: { params: [{ name: 'v', type: schema }], returns: schema } },
  });

const project = new Project();
const host = createHost({ cwd: project.dir });
const echoes = new Map<Isolation, Echo>();

beforeAll(async () => {
  await warmUp();
  addEchoPlugin(project);
  project.addPlugin('shape-echo-plugin', {
    packageJson: { xPlugin: { contract: 'shape-echo' } },
    files: { 'index.js': 'export const plugin = { echo: (v) => v };\n' },
  });
  for (const isolation of ISOLATIONS) {
    echoes.set(isolation, (await host.load('echo-plugin', { isolation, contract: echoContract })) as Echo);
  }
});
afterAll(async () => {
  await host.close();
  project.remove();
});

describe('schema fidelity across isolation', () => {
  it(`a value a generated schema allows comes back identical, and still allowed, in every isolation (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(caseOf, async ([s, value]) => {
        const check = compileContract(contractFor(schemaOf(s))).methods.echo!;
        expect(check.checkArgs([value]), inspect(value)).toBeUndefined();
        for (const isolation of ISOLATIONS) {
          const back = await echoes.get(isolation)!.call('echo', [value]);
          if (!isDeepStrictEqual(back, value))
            expect.fail(
              `${isolation} changed ${inspect(value, { depth: 9 })} into ${inspect(back, { depth: 9 })}`,
            );
          expect(check.checkResult(back)).toBeUndefined();
        }
      }),
      { numRuns: RUNS },
    );
  }, 180_000);

  it(`a generated contract loads in every isolation: the same answers, and the same refusal of a value it does not allow (${CONTRACT_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(caseOf, caseOf, async ([s, value], [, other]) => {
        const contract = contractFor(schemaOf(s));
        const allowed = compileContract(contract).methods.echo!.checkArgs([other]) === undefined;
        for (const isolation of ISOLATIONS) {
          const handle = await host.load('shape-echo-plugin', { isolation, contract });
          try {
            expect(isDeepStrictEqual(await handle.call('echo', [value]), value)).toBe(true);
            const answer = await handle.call('echo', [other]).then(
              (v) => ({ ok: true as const, v }),
              (error: unknown) => ({ ok: false as const, error }),
            );
            if (allowed) {
              expect(answer.ok && isDeepStrictEqual(answer.v, other)).toBe(true);
            } else {
              // Refused at the sender, and blamed on the caller: the plugin never saw it.
              expect(answer.ok).toBe(false);
              const error = (answer as { error: PluginError }).error;
              expect(PluginError.isInstance(error) && error.code).toBe('ERR_PLUGIN_CONTRACT');
              expect(error.details).toMatchObject({ side: 'host' });
            }
          } finally {
            await handle.close();
          }
        }
      }),
      { numRuns: CONTRACT_RUNS },
    );
  }, 180_000);
});
