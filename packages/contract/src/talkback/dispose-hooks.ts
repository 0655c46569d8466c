import type { PluginLogger } from './plugin-factory.js';

/**
 * `Symbol.asyncDispose`, which Node has from 20.4 and 18.18 (as `Symbol.for('nodejs.asyncDispose')`,
 * the same symbol), with the registered one as the fallback for older runtimes.
 */
export const disposeSymbol: symbol =
  (Symbol as { asyncDispose?: symbol }).asyncDispose ?? Symbol.for('nodejs.asyncDispose');

/**
 * Runs a plugin's dispose hooks: `ctx.onDispose` ones last-registered first (like a stack of
 * `using`), then the implementation's `[Symbol.asyncDispose]()`. One that throws is logged and the
 * others still run: a half-closed plugin is worse than a noisy one.
 */
export async function runDisposeHooks(
  hooks: readonly (() => unknown)[],
  asyncDispose: (() => unknown) | undefined,
  target: unknown,
  logger: PluginLogger,
): Promise<void> {
  const all = [...hooks].reverse();
  if (typeof asyncDispose === 'function') all.push(() => asyncDispose.call(target));
  for (const hook of all) {
    try {
      await hook();
    } catch (error) {
      logger.error(`A dispose hook threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
