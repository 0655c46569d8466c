import { fileURLToPath } from 'node:url';
import { greeter, transformer } from '@x/contract';
import { createHost, type PluginError } from '@x/host';
import { textAnalysis } from 'text-analysis-contract';

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

await host.close();

function describe(error: PluginError): string {
  return error.code === 'ERR_PLUGIN_NOT_FOUND'
    ? `Plugin not found: ${error.plugin}`
    : `${error.code}: ${error.message}`;
}
