import type { AnyContract } from '../define-contract.js';

// The contract's `host` and `config` sections come with the schemas branch's `t` builders; until
// then they are read here, defensively, as plain data (a contract is data any language can read).

export interface HostFunctionSpec {
  readonly params: readonly { readonly name: string; readonly type: unknown }[];
  readonly returns: unknown;
}

export type HostSpec = Readonly<Record<string, HostFunctionSpec>>;

/** A contract as the talkback features read it: maybe `host` functions, maybe a `config` schema. */
export type TalkbackContract = AnyContract & { readonly host?: HostSpec; readonly config?: unknown };

/** The contract's host functions; malformed entries are left out (and so refused when called). */
export function readHostSpec(contract: AnyContract | undefined): HostSpec {
  const host = (contract as TalkbackContract | undefined)?.host;
  if (typeof host !== 'object' || host === null) return {};
  const out: Record<string, HostFunctionSpec> = Object.create(null);
  for (const [name, spec] of Object.entries(host)) {
    if (typeof spec === 'object' && spec !== null && Array.isArray(spec.params)) out[name] = spec;
  }
  return out;
}

/** Whether `name` is a host function the contract declares (own keys only: `__proto__` is not one). */
export function declaresHostFunction(contract: AnyContract | undefined, name: string): boolean {
  return Object.hasOwn(readHostSpec(contract), name);
}
