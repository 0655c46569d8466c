import { type AnyContract, builtinContracts } from '@x/contract';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from '../core/restart-policy.js';
import { contractProblem } from './check-contract.js';
import { isRecord, isTimeout, MAX_TIMEOUT_MS } from './check-values.js';
import { describeValue } from './option-error.js';

// The checks of the load options that have a shape (contracts, permissions, restart), apart from
// resolveLoadOptions so that each reads in one screen.

const PERMISSION_KEYS = new Set(['fsRead', 'fsWrite', 'childProcess', 'worker', 'addons', 'wasi']);

export type Fail = (option: string, why: string, fix: string, value: unknown) => never;

/** `contracts` as an array (the one documented shape) or, as in 1.0, a record by name. */
export function resolveContracts(value: unknown, fail: Fail): Readonly<Record<string, AnyContract>> {
  if (value === undefined) return builtinContracts;
  const list = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : undefined;
  if (list === undefined) {
    fail(
      'contracts',
      `must be an array of contracts, not ${describeValue(value)}`,
      'Pass [myContract, ...] (contracts made by defineContract).',
      value,
    );
  }
  const byName: Record<string, AnyContract> = { ...builtinContracts };
  for (const [i, c] of list!.entries()) {
    const problem = contractProblem(c);
    if (problem !== undefined)
      fail('contracts', `item ${i}: ${problem}`, 'Pass only contracts made by defineContract.', c);
    byName[(c as AnyContract).name] = c as AnyContract;
  }
  return Object.freeze(byName);
}

export function checkPermissions(value: unknown, fail: Fail): void {
  if (value === undefined || value === false || value === 'none' || value === 'manifest') return;
  const fix = 'Pass false, "none", "manifest", or grants such as { fsRead: ["./data"] } (docs/security.md).';
  if (!isRecord(value))
    fail(
      'permissions',
      `must be false, "none", "manifest" or a grants object, not ${describeValue(value)}`,
      fix,
      value,
    );
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!PERMISSION_KEYS.has(key)) fail('permissions', `has an unknown grant "${key}"`, fix, value);
    const ok =
      key === 'fsRead' || key === 'fsWrite'
        ? v === undefined || (Array.isArray(v) && v.every((p) => typeof p === 'string' && p !== ''))
        : v === undefined || typeof v === 'boolean';
    if (!ok)
      fail(
        'permissions',
        `grant "${key}" must be ${key.startsWith('fs') ? 'an array of paths' : 'a boolean'}, not ${describeValue(v)}`,
        fix,
        value,
      );
  }
}

export function resolveRestart(value: unknown, fail: Fail): RestartPolicy | false {
  if (value === undefined) return DEFAULT_RESTART_POLICY;
  if (value === false) return false;
  const fix =
    'Pass false (never restart), or { maxCrashes: 3, windowMs: 300000 } (either field may be left out).';
  if (!isRecord(value))
    fail('restart', `must be false or { maxCrashes, windowMs }, not ${describeValue(value)}`, fix, value);
  const r = value as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (key !== 'maxCrashes' && key !== 'windowMs')
      fail('restart', `has an unknown field "${key}"`, fix, value);
  }
  const policy = { ...DEFAULT_RESTART_POLICY, ...(r as Partial<RestartPolicy>) };
  if (!(Number.isSafeInteger(policy.maxCrashes) && policy.maxCrashes > 0)) {
    fail(
      'restart',
      `maxCrashes must be a positive whole number, not ${describeValue(r.maxCrashes)}`,
      fix,
      value,
    );
  }
  if (!isTimeout(policy.windowMs)) {
    fail(
      'restart',
      `windowMs must be a whole number of ms from 1 to ${MAX_TIMEOUT_MS}, not ${describeValue(r.windowMs)}`,
      fix,
      value,
    );
  }
  return Object.freeze(policy);
}
