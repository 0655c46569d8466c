import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { greeter } from '@x/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost, silentLogger } from '../src/index.js';
import { Project } from './fixtures.js';

// docs/observability.md's OpenTelemetry example, run as it is printed: the file in docs/examples
// is the one the page shows (checked below), imported from inside this package so that its
// `@x/host` import resolves to this package (a self-reference) and @opentelemetry/api to ours.

const DOCS = join(import.meta.dirname, '../../../docs');
const EXAMPLE = join(DOCS, 'examples/otel-plugin-calls.mjs');
const copyDir = join(import.meta.dirname, '../.otel-example');

const project = new Project();
project.addPlugin('greeter-plugin-english');
afterAll(() => {
  project.remove();
  rmSync(copyDir, { recursive: true, force: true });
});

describe('the OpenTelemetry example of docs/observability.md', () => {
  it('is the file the page shows', () => {
    const page = readFileSync(join(DOCS, 'observability.md'), 'utf8');
    const shown = /<!-- otel-example:start -->\n```js\n([\s\S]*?)```\n<!-- otel-example:end -->/.exec(
      page,
    )?.[1];
    expect(shown).toBe(readFileSync(EXAMPLE, 'utf8'));
  });

  it('makes one span per plugin call, an error span for a failed one, in-process and in a worker', async () => {
    mkdirSync(copyDir, { recursive: true });
    copyFileSync(EXAMPLE, join(copyDir, 'otel-plugin-calls.mjs'));
    const { instrumentPluginCalls } = (await import(
      pathToFileURL(join(copyDir, 'otel-plugin-calls.mjs')).href
    )) as {
      instrumentPluginCalls: (tracer: unknown) => () => void;
    };
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const stop = instrumentPluginCalls(provider.getTracer('test'));
    const host = createHost({ cwd: project.dir, logger: silentLogger });
    try {
      for (const isolation of ['in-process', 'worker'] as const) {
        const handle = await host.load('greeter-plugin-english', { contract: greeter, isolation });
        expect(await handle.plugin.greet('World')).toBe('Hello, World! Nice to meet you.');
        await expect(handle.call('greet', [42])).rejects.toMatchObject({ code: 'ERR_PLUGIN_CONTRACT' });
      }
    } finally {
      stop();
      await host.close();
    }
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => [s.name, s.attributes['x_plugin.isolation'], s.status.code])).toEqual([
      ['greeter-plugin-english greet', 'in-process', SpanStatusCode.UNSET],
      ['greeter-plugin-english greet', 'in-process', SpanStatusCode.ERROR],
      ['greeter-plugin-english greet', 'worker', SpanStatusCode.UNSET],
      ['greeter-plugin-english greet', 'worker', SpanStatusCode.ERROR],
    ]);
    const failed = spans[3]!;
    expect(failed.attributes['x_plugin.error_code']).toBe('ERR_PLUGIN_CONTRACT');
    expect(failed.events.map((e) => e.name)).toEqual(['exception']);
    expect(failed.attributes['x_plugin.plugin']).toBe('greeter-plugin-english');
    // Ended after the call, not at its synchronous start.
    for (const s of spans) expect(s.ended).toBe(true);
  });
});
