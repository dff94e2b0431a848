import type { Logger } from '../logging/logger';

/**
 * Ends the process on its first SIGTERM or SIGINT (another signal while it stops is ignored):
 * logs `stopping` with the signal, runs `stop` (each process closes what it opened, in its own
 * order), logs `<name> stopped` and exits 0.
 */
export function exitOnStopSignal(
  logger: Logger,
  name: string,
  stopping: string,
  stop: () => Promise<void>,
): void {
  let stopped = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopped) return;
    stopped = true;
    logger.info({ signal }, stopping);
    await stop();
    logger.info(`${name} stopped`);
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));
}
