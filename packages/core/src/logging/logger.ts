import { pino, type Logger } from 'pino';

export type { Logger };

/** The one logger of a process; everything else takes a child of it. */
export function createLogger(options: { level: string; name: string }): Logger {
  return pino({
    name: options.name,
    level: options.level,
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ['req.headers.authorization', 'password', '*.password', 'token'],
  });
}
