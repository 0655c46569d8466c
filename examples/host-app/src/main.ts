import { fileURLToPath } from 'node:url';
import { greeter, transformer } from '@x/contract';
import { createHost, type PluginError, silentLogger } from '@x/host';
import { textAnalysis, wordStream } from 'text-analysis-contract';

// The Go tutorial's main.go: open each plugin, look up its symbol, assert its type, call it;
// a plugin that fails is reported and the loop goes on.
// Plugins are looked up from this app's own folder, as Node looks up its imports, whatever the cwd.
const host = createHost({ cwd: fileURLToPath(new URL('..', import.meta.url)) });

const greeters = ['greeter-plugin-english', 'greeter-plugin-spanish', 'greeter-plugin-french'];
for (const result of await host.loadAll(greeters, { contract: greeter })) {
  if (!result.ok) {
    console.log(describe(result.error));
    continue;
  }
  const g = result.handle.plugin;
  console.log(`[${await g.lang()}] ${await g.greet('World')}`);
}

const transformers = ['transformer-plugin-upper', 'transformer-plugin-reverse'];
for (const result of await host.loadAll(transformers, { contract: transformer })) {
  if (!result.ok) {
    console.log(describe(result.error));
    continue;
  }
  const t = result.handle.plugin;
  console.log(`[${await t.name()}] ${await t.transform('Hello, World!')}`);
}

// The same plugins, unchanged, isolated: a worker thread and a child process (hashicorp/go-plugin).
const isolated = [
  ['greeter-plugin-english', 'worker'],
  ['greeter-plugin-spanish', 'process'],
] as const;
for (const [spec, isolation] of isolated) {
  const handle = await host.load(spec, { contract: greeter, isolation });
  console.log(`[${await handle.plugin.lang()} via ${isolation}] ${await handle.plugin.greet('World')}`);
  await handle.close();
}

// A contract from its own package, with objects, arrays, optional fields, null and bytes: the same
// answers in-process, in a worker and in a child process.
const text = 'The cat saw the dog. The dog ran!';
const bytes = new TextEncoder().encode('Hello, World!');
for (const isolation of ['in-process', 'worker', 'process'] as const) {
  const analyzer = await host.load('text-analyzer-plugin', { contract: textAnalysis, isolation });
  const report = await analyzer.plugin.analyze(text, { top: 2 });
  const print = await analyzer.plugin.fingerprint(bytes);
  const top = report.top.map((w) => `${w.word}×${w.count}`).join(' ');
  const sha = Buffer.from(print.sha256).toString('hex').slice(0, 16);
  console.log(
    `[text-analyzer via ${isolation}] ${report.words} words, ${report.sentences} sentences, top ${top}, longest "${report.longest}"; sha256 ${sha}… of ${print.length} bytes`,
  );
  await analyzer.close();
}

// A plugin that talks back: it streams, calls the host's own function for every item, reads the
// config it was given, and is cancelled mid-stream when the loop breaks (its `finally` runs). The
// counts go up from one isolation to the next: they live in the host, in `remember`.
const seen = new Map<string, number>();
const remember = (word: string) => {
  seen.set(word, (seen.get(word) ?? 0) + 1);
  return seen.get(word)!;
};
for (const isolation of ['in-process', 'worker', 'process'] as const) {
  const streamer = await host.load('word-streamer-plugin', {
    contract: wordStream,
    isolation,
    config: { minLength: 4 },
    host: { remember },
    logger: silentLogger,
  });
  const got: string[] = [];
  for await (const item of streamer.plugin.words(
    'the quick brown fox jumps over the lazy dog, quick quick!',
  )) {
    got.push(`${item.word}×${item.seen}`);
    if (got.length === 3) break;
  }
  console.log(`[word-streamer via ${isolation}] ${got.join(' ')} (then cancelled)`);
  await streamer.close();
}

await host.close();

function describe(error: PluginError): string {
  return error.code === 'ERR_PLUGIN_NOT_FOUND'
    ? `Plugin not found: ${error.plugin}`
    : `${error.code}: ${error.message}`;
}
