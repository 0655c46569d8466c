import type { Logger } from '../logger.js';

/** How long close() waits for a plugin's dispose hooks before it ends the plugin anyway. */
export const DEFAULT_DISPOSE_TIMEOUT_MS = 2_000;

/**
 * Waits for `dispose` at most `ms`: a plugin whose hooks hang must not hang the host's close().
 * Resolves either way; a failure or an overrun is logged, never thrown.
 */
export async function disposeWithin(
  plugin: string,
  dispose: () => Promise<unknown>,
  ms: number,
  logger: Logger,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<'overrun'>((resolve) => {
    timer = setTimeout(() => resolve('overrun'), ms);
  });
  try {
    const outcome = await Promise.race([dispose().then(() => 'done' as const), overrun]);
    if (outcome === 'overrun') {
      logger.log('warn', `Its dispose hooks did not finish within ${ms} ms; ending it anyway.`, { plugin });
    }
  } catch (error) {
    logger.log(
      'warn',
      `Its dispose hooks failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        plugin,
      },
    );
  } finally {
    clearTimeout(timer);
  }
}
