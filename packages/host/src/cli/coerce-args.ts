import type { AnyContract } from '@x/contract';

/**
 * Turns command-line strings into the kinds the contract's method takes ("3" → 3 for a number).
 * A string that does not convert is passed on as it is, so that the client's argument check
 * reports it as ERR_PLUGIN_CONTRACT with the method's signature.
 */
export function coerceArgs(contract: AnyContract, method: string, args: readonly string[]): unknown[] {
  const params =
    (Object.hasOwn(contract.methods, method) ? contract.methods[method]?.params : undefined) ?? [];
  return args.map((arg, i) => {
    const kind = params[i]?.type;
    if (kind === 'number' && arg.trim() !== '' && Number.isFinite(Number(arg))) return Number(arg);
    if (kind === 'boolean' && (arg === 'true' || arg === 'false')) return arg === 'true';
    // A schema param that is not a plain string is written as JSON: '{"w":2,"h":3}'.
    if (typeof kind === 'object' && kind !== null && (kind as { type?: unknown }).type !== 'string') {
      try {
        return JSON.parse(arg) as unknown;
      } catch {
        return arg;
      }
    }
    return arg;
  });
}
