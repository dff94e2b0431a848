import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@lapak/core';
import type { ApiMetrics } from './metrics';

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The API's `GET /metrics` (Prometheus text) on a port of its own (`API_METRICS_HOST`,
 * `API_METRICS_PORT`), never on the public one: the metrics name routes, statuses and the
 * process's internals, which are for whoever can reach this address (Prometheus, the pod
 * network), not for every client of the API. Everything else is 404.
 */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  metrics: ApiMetrics;
  logger: Logger;
}): Promise<MetricsServer> {
  const { metrics, logger } = options;
  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      return json(404, { error: { code: 'not_found', message: 'Only GET /metrics is served here' } });
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics could not be rendered');
        json(500, { error: { code: 'internal', message: 'Metrics could not be rendered' } });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
