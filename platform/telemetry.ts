import type { IncomingHttpHeaders } from 'node:http';
import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';

/**
 * OpenTelemetry tracing across the gateway and the subgraphs. Spans are made
 * through the API (no-ops until an SDK is started); `startTelemetry` starts the
 * Node SDK with an OTLP/HTTP exporter when `OTEL_EXPORTER_OTLP_ENDPOINT` is
 * set. W3C `traceparent` carries the trace from the gateway to each subgraph.
 */
export const tracer = trace.getTracer('volunteer-graph');

let started: Promise<{ shutdown(): Promise<void> } | null> | undefined;

/** Starts the SDK once per process (the first service name wins). No endpoint: tracing stays off. */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return Promise.resolve(false);
  started ??= (async () => {
    const [{ NodeSDK }, { OTLPTraceExporter }] = await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
    ]);
    const sdk = new NodeSDK({
      serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
      traceExporter: new OTLPTraceExporter(),
      // Spans are made by hand at the HTTP edges (gateway, subgraph calls, subgraphs) and by
      // @apollo/gateway itself (plan, execute, fetch); no monkey-patching instrumentations.
      instrumentations: [],
    });
    sdk.start();
    return sdk;
  })();
  return started.then((sdk) => sdk !== null);
}

/** Flushes and stops the SDK (at process exit). */
export async function stopTelemetry(): Promise<void> {
  const sdk = await started;
  started = undefined;
  await sdk?.shutdown();
}

/** The trace context a request arrived with (its `traceparent`). */
export function extractTraceContext(headers: IncomingHttpHeaders): Context {
  return propagation.extract(context.active(), headers);
}

/** Adds `traceparent` (and `tracestate`) of the active span to outgoing headers. */
export function injectTraceContext(headers: Record<string, string>): void {
  propagation.inject(context.active(), headers);
}

/** Runs `fn` in a new span (server or client), ending it and recording a thrown error. */
export async function inSpan<T>(
  name: string,
  kind: 'server' | 'client' | 'internal',
  attributes: Record<string, string | number | boolean>,
  fn: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  const spanKind = kind === 'server' ? SpanKind.SERVER : kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL;
  return tracer.startActiveSpan(name, { kind: spanKind, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
