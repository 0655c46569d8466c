import type { AnyContract, Infer, TypeSpec, ValueKind } from './define-contract.js';
import { describeSchema } from './schema/describe-schema.js';

export interface ConformanceProblem {
  readonly member: string;
  readonly expected: string;
  readonly actual: string;
}

export type ConformanceResult<C extends AnyContract> =
  | { readonly ok: true; readonly value: Infer<C> }
  | { readonly ok: false; readonly problems: readonly ConformanceProblem[] };

/** `typeof`, but telling null and arrays apart, for messages a person can read. */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * The run-time type assertion: does `value` implement `contract`? Lists every member that is
 * missing or not a function, not only the first.
 * @example const r = checkConformance(greeter, mod.plugin); if (!r.ok) console.log(r.problems);
 */
export function checkConformance<C extends AnyContract>(contract: C, value: unknown): ConformanceResult<C> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    return { ok: false, problems: [{ member: '(export)', expected: 'object', actual: describeKind(value) }] };
  }
  const problems: ConformanceProblem[] = [];
  const target = value as Record<string, unknown>;
  for (const [member, spec] of Object.entries(contract.methods)) {
    const actual = target[member];
    if (typeof actual !== 'function') {
      problems.push({
        member,
        expected: `function (${spec.params.map((p) => `${p.name}: ${describeType(p.type)}`).join(', ')}) => ${describeType(spec.returns)}`,
        actual: actual === undefined ? 'missing' : describeKind(actual),
      });
    }
  }
  return problems.length === 0 ? { ok: true, value: value as Infer<C> } : { ok: false, problems };
}

/** Whether `value` is of `kind`. Used on every argument and answer that crosses a plugin boundary. */
export function matchesKind(kind: ValueKind, value: unknown): boolean {
  return kind === 'void' ? value === undefined || value === null : typeof value === kind;
}

/** A param's type or a method's returns, in a few words: the shorthand itself, or its schema described. */
export function describeType(type: TypeSpec): string {
  return typeof type === 'string' ? type : describeSchema(type);
}
