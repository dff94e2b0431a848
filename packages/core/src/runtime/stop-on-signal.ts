import type { Logger } from '../logging/logger';

/**
 * Ends the process on its first SIGTERM or SIGINT (another signal while it stops is ignored):
 * logs `stopping` with the signal, runs `stop` (each process closes what it opened in its own
 * order), logs `<name> stopped` and exits 0. A stop still running after `deadline.ms` is logged
 * with `deadline.message` and ends the process with 1 instead, so a stuck close never hangs it.
 */
export function exitOnStopSignal(
  logger: Logger,
  name: string,
  options: { stopping: string; deadline?: { ms: number; message: string } },
  stop: () => Promise<void>,
): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, options.stopping);
    const { deadline } = options;
    if (deadline) {
      setTimeout(() => {
        logger.error(deadline.message);
        process.exit(1);
      }, deadline.ms).unref();
    }
    await stop();
    logger.info(`${name} stopped`);
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));
}
