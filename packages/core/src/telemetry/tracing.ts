import { register } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KoaInstrumentation, KoaLayerType } from '@opentelemetry/instrumentation-koa';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { ConfigError, loadConfig, type Config } from '../config/config';

export interface Tracing {
  /** True when spans are recorded and exported. */
  readonly enabled: boolean;
  /** Where spans go (`<endpoint>/v1/traces`), when enabled. */
  readonly url?: string;
  /** Exports what is buffered, then stops; call it last on shutdown. */
  shutdown(): Promise<void>;
}

const off: Tracing = { enabled: false, shutdown: async () => {} };

/** The official instrumentations of what carries the work: node:http, Koa, pg and ioredis. */
const instrumentations = () => [
  // Scrapes and probes would drown the traces that matter.
  new HttpInstrumentation({
    ignoreIncomingRequestHook: (request) => probePaths.has((request.url ?? '').split('?')[0] ?? ''),
  }),
  // One span per matched route (tagged with the request id the logs carry), none per middleware.
  new KoaInstrumentation({
    ignoreLayersType: [KoaLayerType.MIDDLEWARE],
    requestHook: (span, info) => {
      const requestId = (info.context.state as { requestId?: unknown }).requestId;
      if (typeof requestId === 'string') span.setAttribute('lapak.request_id', requestId);
    },
  }),
  new PgInstrumentation(),
  new IORedisInstrumentation(),
];

const probePaths = new Set(['/metrics', '/healthz', '/readyz']);

/**
 * Starts OpenTelemetry tracing for one process when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: an
 * OTLP/HTTP trace exporter behind a batch processor, W3C trace context propagation, and the
 * official instrumentations of node:http, Koa, pg and ioredis. Without the variable nothing is
 * started and no module is hooked.
 *
 * Instrumentations patch modules as they load, so call this before the process imports Koa, pg or
 * ioredis: the entry point awaits it, then imports the rest of the application dynamically.
 */
export async function startTracing(
  serviceName: string,
  config?: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT'>,
): Promise<Tracing> {
  let endpoint: string | undefined;
  try {
    endpoint = (config ?? loadConfig()).OTEL_EXPORTER_OTLP_ENDPOINT;
  } catch (error) {
    // A bad configuration is reported by the entry point's own loadConfig(); trace nothing.
    if (error instanceof ConfigError) return off;
    throw error;
  }
  if (!endpoint) return off;

  // ESM imports are hooked through a module loader that wraps only the modules instrumented below.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const url = `${endpoint.replace(/\/+$/, '')}/v1/traces`;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: instrumentations(),
  });
  await waitForAllMessagesAcknowledged();

  return {
    enabled: true,
    url,
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}
