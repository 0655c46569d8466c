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

/**
 * A contract that talks back (issue 13): a stream of results, a host function (the host's
 * key-value store of how often each word was seen), and a config the host hands over at load.
 * Plugins name it as "text-analysis-contract#wordStream".
 */
export const wordStream = defineContract({
  name: 'word-stream',
  version: '1.0.0',
  methods: {
    words: {
      params: [{ name: 'text', type: t.string() }],
      returns: t.stream(t.object({ word: t.string(), index: t.integer(), seen: t.integer() })),
    },
  },
  host: { remember: { params: [{ name: 'word', type: t.string() }], returns: t.integer() } },
  config: t.object({ minLength: t.integer() }),
});
