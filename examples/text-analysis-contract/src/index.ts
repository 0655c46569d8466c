import { type Client, defineContract, type Implementation, t } from '@x/contract';

/** One word and how often it occurs. */
const wordCount = t.object({ word: t.string(), count: t.integer() });

/**
 * A contract that is not built into @x/contract: it lives in its own package, which a plugin names
 * in `xPlugin.contract` ("text-analysis-contract") and lists in its peerDependencies, so that any
 * host finds it from the plugin's manifest. Objects, arrays, optional fields, null and bytes.
 */
export const textAnalysis = defineContract({
  name: 'text-analysis',
  version: '1.0.0',
  description: 'Counts words and sentences, finds the most frequent words, fingerprints bytes.',
  methods: {
    analyze: {
      params: [
        { name: 'text', type: t.string() },
        {
          name: 'options',
          type: t.optional(
            t.object({ top: t.optional(t.integer()), caseSensitive: t.optional(t.boolean()) }),
          ),
        },
      ],
      returns: t.object({
        words: t.integer(),
        sentences: t.integer(),
        top: t.array(wordCount),
        longest: t.nullable(t.string()),
      }),
    },
    fingerprint: {
      params: [{ name: 'data', type: t.bytes() }],
      returns: t.object({ length: t.integer(), sha256: t.bytes() }),
    },
    name: { params: [], returns: 'string' },
  },
});

export default textAnalysis;

/** What a host holds. */
export type TextAnalysis = Client<typeof textAnalysis>;
/** What a plugin implements. */
export type TextAnalysisImplementation = Implementation<typeof textAnalysis>;
