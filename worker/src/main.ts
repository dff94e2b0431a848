import { ConfigError, createLogger, loadConfig } from '@lapak/core';
import { createWorkerDeps } from './deps';
import { startWorkers } from './workers';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`worker: ${error.message}\n`);
  process.exit(1);
}

const logger = createLogger({ level: config.LOG_LEVEL, name: 'worker' });
const deps = await createWorkerDeps(config, logger);
const running = await startWorkers(deps);
logger.info({ queues: running.workers.map((worker) => worker.name) }, 'worker started');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'worker draining');
  await running.close();
  await deps.close();
  logger.info('worker stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
