import { createHash } from 'node:crypto';
import { definePlugin } from '@x/sdk';
import { textAnalysis } from 'text-analysis-contract';

const WORD = /[\p{L}\p{N}'’-]+/gu;

/** A text analyser: structured answers and bytes, the same in-process, in a worker or a process. */
export const plugin = definePlugin(textAnalysis, {
  analyze(text, options = {}) {
    const words = text.match(WORD) ?? [];
    const counts = new Map<string, number>();
    for (const w of words) {
      const key = options.caseSensitive ? w : w.toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const top = [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, options.top ?? 3)
      .map(([word, count]) => ({ word, count }));
    const longest = words.reduce<string | null>((l, w) => (l === null || w.length > l.length ? w : l), null);
    const sentences = text.split(/[.!?]+/).filter((s) => s.trim() !== '').length;
    return { words: words.length, sentences, top, longest };
  },
  fingerprint(data) {
    return { length: data.byteLength, sha256: new Uint8Array(createHash('sha256').update(data).digest()) };
  },
  name: () => 'text-analyzer',
});
