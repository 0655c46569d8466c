import { definePlugin } from '@x/sdk';
import { wordStream } from 'text-analysis-contract';

/**
 * The factory form of definePlugin: `ctx` gives the host's functions, the config the host passed
 * at load, a logger, and dispose hooks. `words` streams as it goes, asks the host about each word,
 * and stops as soon as the consumer does (its `finally` runs, its signal fires).
 */
export const plugin = definePlugin(wordStream, (ctx) => ({
  async *words(text, { signal }) {
    let index = 0;
    try {
      for (const word of text.split(/\W+/)) {
        if (signal.aborted) return;
        if (word.length < ctx.config.minLength) continue;
        yield { word, index: index++, seen: await ctx.host.remember(word.toLowerCase()) };
      }
    } finally {
      ctx.logger.info(`words: stopped after ${index} word(s)`);
    }
  },
}));
