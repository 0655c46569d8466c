import { type ContractJson, describeSchema, type MethodJson, sampleValue } from '@x/contract';
import type { ContractSource } from './options.js';

// The TypeScript a --contract plugin starts from, written from the contract's schemas: a stub per
// method that answers a sample of the right shape (so that the generated tests pass from the
// first build, and the author replaces one answer at a time), its unit test, and its cases.

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

/** A value as TypeScript source: the kinds JSON lacks (bytes, bigint, Date, NaN, -0) included. */
export function toSource(value: unknown, indent = ''): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'Number.NaN';
    if (Object.is(value, -0)) return '-0';
    if (!Number.isFinite(value)) return value > 0 ? 'Number.POSITIVE_INFINITY' : 'Number.NEGATIVE_INFINITY';
    return String(value);
  }
  if (value instanceof Uint8Array) return `new Uint8Array([${[...value].join(', ')}])`;
  if (value instanceof Date) return `new Date(${JSON.stringify(value.toISOString())})`;
  if (Array.isArray(value)) return `[${value.map((v) => toSource(v, indent)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => `${key(k)}: ${toSource(v, indent)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

const isStream = (m: MethodJson) => m.returns.type === 'AsyncIterator';
const items = (m: MethodJson) => (m.returns.items ?? {}) as Record<string, unknown>;
const paramName = (name: string) => `_${name.replace(/[^\w$]/g, '_')}`;

/** The arguments a generated test calls a method with: a sample of each required param. */
const sampleArgs = (m: MethodJson) =>
  m.params.filter((p) => p.optional !== true).map((p) => sampleValue(p.type));

function signature(name: string, m: MethodJson): string {
  const params = m.params
    .map((p) => `${p.name}${p.optional ? '?' : ''}: ${describeSchema(p.type)}`)
    .join(', ');
  return `${name}(${params}) → ${describeSchema(m.returns)}`;
}

function stub(name: string, m: MethodJson): string {
  const params = m.params.map((p) => paramName(p.name)).join(', ');
  const head = `  // ${signature(name, m)}\n`;
  if (isStream(m)) {
    return `${head}  async *${key(name)}(${params}) {\n    // TODO: yield what ${name} produces; this yields one sample item of the right shape.\n    yield ${toSource(sampleValue(items(m)))};\n  },`;
  }
  if (m.returns.type === 'void')
    return `${head}  ${key(name)}(${params}) {\n    // TODO: implement ${name}.\n  },`;
  return `${head}  ${key(name)}(${params}) {\n    // TODO: implement ${name}; this answers a sample of the right shape.\n    return ${toSource(sampleValue(m.returns))};\n  },`;
}

function unitTest(name: string, m: MethodJson): string {
  const call = `plugin${IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`}(${sampleArgs(m)
    .map((a) => toSource(a))
    .join(', ')})`;
  const check = `methods${IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`}!`;
  if (isStream(m)) {
    return `  it('${name} yields what the contract promises', async () => {\n    for await (const item of ${call}) expect(${check}.checkItem(item)).toBeUndefined();\n  });`;
  }
  return `  it('${name} answers what the contract promises', async () => {\n    expect(${check}.checkResult(await ${call})).toBeUndefined();\n  });`;
}

function conformanceCase(name: string, m: MethodJson): string | undefined {
  if (isStream(m) || m.returns.type === 'void') return undefined;
  const args = sampleArgs(m)
    .map((a) => toSource(a))
    .join(', ');
  return `    ${key(name)}: [[[${args}], ${toSource(sampleValue(m.returns))}]],`;
}

/** What the `contract` templates render: the import of the contract, and the code per method. */
export function contractTemplateData(source: ContractSource) {
  const json: ContractJson = source.json;
  const methods = Object.entries(json.methods);
  const binding = source.exportName === 'default' ? 'contract' : `{ ${source.exportName} as contract }`;
  return {
    contractName: json.name,
    contractImport: `import ${binding} from '${source.packageName}';`,
    // Inside the factory's returned object: two spaces deeper than a plain object's.
    stubs: methods
      .map(([name, m]) => stub(name, m))
      .join('\n')
      .replace(/^/gm, '  '),
    hostFunctions: Object.keys(json.host ?? {}).join(', '),
    unitTests: methods.map(([name, m]) => unitTest(name, m)).join('\n\n'),
    conformanceCases: methods
      .map(([name, m]) => conformanceCase(name, m))
      .filter(Boolean)
      .join('\n'),
    exampleCall: exampleCall(methods),
  };
}

/**
 * `x-plugin call . <method> [args]` for the README: the first method whose sample arguments the
 * CLI can take as words (a string as it is, anything else as JSON), else nothing.
 */
function exampleCall(methods: [string, MethodJson][]): string {
  const plain = (v: unknown): boolean =>
    v === null ||
    ['string', 'number', 'boolean'].includes(typeof v) ||
    (Array.isArray(v) && v.every(plain)) ||
    (typeof v === 'object' &&
      Object.getPrototypeOf(v) === Object.prototype &&
      Object.values(v as object).every(plain));
  for (const [name, m] of methods) {
    const args = sampleArgs(m);
    if (isStream(m) || !args.every(plain)) continue;
    const words = args.map((a) =>
      typeof a === 'string' && /^[\w.,!-]+$/.test(a) ? a : `'${JSON.stringify(a)}'`,
    );
    return [name, ...words].join(' ');
  }
  return '';
}
