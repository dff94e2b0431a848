import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Logger, Orm, Redis } from '@lapak/core';
import type { WorkerMetrics } from '../metrics/worker-metrics';

export interface WorkerServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The worker's operations endpoints: `GET /metrics` (Prometheus text), `GET /healthz` (200 while
 * the process runs) and `GET /readyz` (200 only with PostgreSQL and Redis reachable).
 */
export async function startWorkerServer(options: {
  port: number;
  host?: string;
  orm: Orm;
  redis: Redis;
  metrics: WorkerMetrics;
  logger: Logger;
}): Promise<WorkerServer> {
  const { orm, redis, metrics, logger } = options;

  /** True when `check` answers in time; a dependency that hangs is as bad as one that refuses. */
  const within = (check: Promise<boolean>, ms = 2000) =>
    Promise.race([
      check.catch(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
    ]);
  const ready = async () => {
    const [postgres, redisUp] = await Promise.all([
      within(sql`select 1`.execute(orm.em.fork().getKysely()).then(() => true)),
      within(redis.ping().then((reply) => reply === 'PONG')),
    ]);
    return { postgres, redis: redisUp };
  };

  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET')
      return json(405, { error: { code: 'not_found', message: 'Only GET is served' } });
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz') {
      void ready().then((checks) => {
        const ok = checks.postgres && checks.redis;
        json(ok ? 200 : 503, { status: ok ? 'ready' : 'not_ready', checks });
      });
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (error: unknown) => {
          logger.error({ err: error }, 'metrics could not be rendered');
          json(500, { error: { code: 'internal', message: 'Metrics could not be rendered' } });
        },
      );
      return;
    }
    json(404, { error: { code: 'not_found', message: `No route for GET ${path}` } });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
