import type { AnyContract } from '@x/contract';
import { isRecord } from './check-values.js';

/**
 * Why `value` is not a contract the host can call through, or undefined when it is one. Only the
 * shape every contract has is checked here (a name, methods with a params list and a return
 * type); what a type may be is the business of @x/contract's checks.
 */
export function contractProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'it is not a contract object (use defineContract from @x/contract)';
  if (typeof value.name !== 'string' || value.name === '') return 'its "name" is not a non-empty string';
  if (!isRecord(value.methods)) return `contract "${value.name}" has no "methods" object`;
  for (const [method, spec] of Object.entries(value.methods)) {
    if (!isRecord(spec) || !Array.isArray(spec.params)) {
      return `method "${method}" of contract "${value.name}" has no "params" list`;
    }
    if (spec.params.some((p) => !isRecord(p) || typeof p.name !== 'string' || p.type === undefined)) {
      return `method "${method}" of contract "${value.name}" has a param without a name or type`;
    }
    if (spec.returns === undefined) return `method "${method}" of contract "${value.name}" has no "returns"`;
  }
  return undefined;
}

export function isContract(value: unknown): value is AnyContract {
  return contractProblem(value) === undefined;
}
