import { startTracing } from '@lapak/core/telemetry';

// Tracing starts first: its instrumentations hook Koa, pg and ioredis as the rest of the API loads.
const tracing = await startTracing('lapak-api');
const { createLogger, exitOnStopSignal, loadConfigOrExit } = await import('@lapak/core');
const { createApp } = await import('./app');
const { createApiDeps } = await import('./deps');
const { startMetricsServer } = await import('./http/metrics-server');

const config = loadConfigOrExit('api');

const logger = createLogger({ level: config.LOG_LEVEL, name: 'api' });
const deps = await createApiDeps(config, logger);
const server = createApp(deps).listen(config.API_PORT, config.API_HOST, () => {
  logger.info({ host: config.API_HOST, port: config.API_PORT }, 'api listening');
});
server.keepAliveTimeout = 65_000;
const metricsServer = await startMetricsServer({
  host: config.API_METRICS_HOST,
  port: config.API_METRICS_PORT,
  metrics: deps.metrics,
  logger,
});
logger.info({ host: config.API_METRICS_HOST, port: metricsServer.port }, 'api metrics listening');

exitOnStopSignal(logger, 'api', 'api stopping', async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await metricsServer.close();
  await deps.close();
  await tracing.shutdown();
});
