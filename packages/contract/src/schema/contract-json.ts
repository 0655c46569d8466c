import type { AnyContract, MethodsSpec } from '../define-contract.js';
import { type JsonSchema, schemaJson } from './json-schema.js';
import { isOptionalParam, validateContract } from './validate-contract.js';

export interface ParamJson {
  readonly name: string;
  readonly type: JsonSchema;
  readonly optional?: true;
}

export interface MethodJson {
  readonly params: readonly ParamJson[];
  readonly returns: JsonSchema;
}

/**
 * A contract as plain JSON: every shorthand spelled as a schema (`'string'` → `{ "type": "string" }`),
 * every optional param marked. What a plugin's build stamps, what `x-plugin contract diff` reads,
 * and what another language can load.
 */
export interface ContractJson {
  readonly name: string;
  readonly version?: string;
  readonly methods: Readonly<Record<string, MethodJson>>;
  readonly host?: Readonly<Record<string, MethodJson>>;
  readonly config?: JsonSchema;
}

const cache = new WeakMap<object, ContractJson>();

function methodsJson(methods: MethodsSpec, where: string): Record<string, MethodJson> {
  const out: Record<string, MethodJson> = {};
  for (const [name, m] of Object.entries(methods)) {
    out[name] = {
      params: m.params.map((p) => ({
        name: p.name,
        type: schemaJson(p.type, `${where}.${name}(${p.name})`),
        ...(isOptionalParam(p) ? { optional: true as const } : {}),
      })),
      returns: schemaJson(m.returns, `${where}.${name}.returns`),
    };
  }
  return out;
}

/** The JSON form of a contract (computed once per contract object). */
export function contractToJson(contract: AnyContract): ContractJson {
  const hit = cache.get(contract);
  if (hit !== undefined) return hit;
  // Contracts also arrive as JSON (stamps, files): checked as defineContract checks.
  validateContract(contract);
  const json: ContractJson = {
    name: contract.name,
    ...(contract.version === undefined ? {} : { version: contract.version }),
    methods: methodsJson(contract.methods, contract.name),
    ...(contract.host === undefined ? {} : { host: methodsJson(contract.host, `${contract.name} host`) }),
    ...(contract.config === undefined
      ? {}
      : { config: schemaJson(contract.config, `${contract.name} config`) }),
  };
  cache.set(contract, json);
  return json;
}

/**
 * Reads a contract from its JSON form (a stamp, a file): checked as `defineContract` checks, so
 * hostile JSON is refused with a TypeError rather than trusted.
 */
export function contractFromJson(json: unknown): AnyContract {
  validateContract(json);
  return json as AnyContract;
}
