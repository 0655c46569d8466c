// One OpenTelemetry span per plugin call, from the host's `x-plugin:call` tracing channel, with
// @opentelemetry/api only: the application's SDK (any exporter) receives them. Run by
// packages/host/test/otel-example.test.ts, exactly as docs/observability.md shows it.
import { tracingChannel } from 'node:diagnostics_channel';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { CALL_CHANNEL } from '@x/host';

/** Starts a span per plugin call; returns how to stop. */
export function instrumentPluginCalls(tracer = trace.getTracer('x-plugin')) {
  // One span per call context: the channel hands the same object to every event of one call.
  const spans = new WeakMap();
  const handlers = {
    start(ctx) {
      const span = tracer.startSpan(`${ctx.plugin} ${ctx.method}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'x_plugin.plugin': ctx.plugin,
          'x_plugin.method': ctx.method,
          'x_plugin.isolation': ctx.isolation,
        },
      });
      spans.set(ctx, span);
    },
    end() {},
    asyncStart() {},
    error(ctx) {
      const span = spans.get(ctx);
      if (span === undefined) return;
      const { error } = ctx;
      span.recordException(error);
      span.setAttribute('x_plugin.error_code', error?.code ?? 'unknown');
      span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message });
    },
    // Every call ends here, answered or failed.
    asyncEnd(ctx) {
      spans.get(ctx)?.end();
      spans.delete(ctx);
    },
  };
  const channel = tracingChannel(CALL_CHANNEL);
  channel.subscribe(handlers);
  return () => channel.unsubscribe(handlers);
}
