import type { ErrorCode } from '@lapak/contracts';

/**
 * The one error type of the domain. Services throw it with a contract error code;
 * the API's error middleware maps the code to an HTTP status.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`);
  }

  static validation(message: string, details?: unknown): AppError {
    return new AppError('validation_failed', message, details);
  }
}
