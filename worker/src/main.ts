import { startTracing } from '@lapak/core/telemetry';

// Tracing starts first: its instrumentations hook pg and ioredis as the rest of the worker loads.
const tracing = await startTracing('lapak-worker');
const { createLogger, exitOnStopSignal, loadConfigOrExit } = await import('@lapak/core');
const { createWorkerDeps } = await import('./deps');
const { startWorkerServer } = await import('./http/worker-server');
const { startWorkers } = await import('./workers');

const config = loadConfigOrExit('worker');

const logger = createLogger({ level: config.LOG_LEVEL, name: 'worker' });
const deps = await createWorkerDeps(config, logger);
const running = await startWorkers(deps);
const server = await startWorkerServer({
  port: config.WORKER_METRICS_PORT,
  host: config.WORKER_METRICS_HOST,
  orm: deps.orm,
  redis: deps.redis,
  metrics: deps.metrics,
  logger,
});
logger.info(
  { queues: running.workers.map((worker) => worker.name), metricsPort: server.port },
  'worker started',
);

exitOnStopSignal(logger, 'worker', 'worker draining', async () => {
  // Jobs in hand finish (their transactions commit or roll back); a stuck drain still ends.
  setTimeout(() => {
    logger.error('worker drain took too long; exiting');
    process.exit(1);
  }, 30_000).unref();
  await server.close();
  await running.close();
  await deps.close();
  await tracing.shutdown();
});
