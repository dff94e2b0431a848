import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApiMiddleware } from './api-state';

/** Probes are left out of the HTTP metrics: they would swamp rates and error shares. */
const unmeasured = new Set(['/healthz', '/readyz']);

/** The API's Prometheus registry: Node's default metrics plus HTTP rate, latency and errors. */
export function createApiMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  const middleware: ApiMiddleware = async (ctx, next) => {
    const end = duration.startTimer();
    try {
      await next();
    } finally {
      const route = String((ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched');
      if (!unmeasured.has(route)) {
        const labels = { method: ctx.method, route, status: String(ctx.status) };
        requests.inc(labels);
        end(labels);
      }
    }
  };
  return { registry, middleware };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
