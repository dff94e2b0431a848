import type { ErrorBody, ErrorCode } from '@lapak/contracts';
import { isAxiosError } from 'axios';

/** What the shop shows when the API says no, or cannot be reached. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** The contract's error code, or `network` when no answer came. */
    readonly code: ErrorCode | 'network',
    /** HTTP status (0 without an answer). */
    readonly status: number,
    /** Field path → message, from the `details` of a 400 (e.g. `email`, `items.0.productId`). */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** A retry may work: no answer, a timeout, or the server's own trouble. */
  get retryable(): boolean {
    return this.code === 'network' || this.status >= 500 || this.status === 429;
  }
}

const plainMessages: Partial<Record<ErrorCode | 'network', string>> = {
  network: 'The shop cannot be reached right now. Check your connection and try again.',
  internal: 'Something went wrong on our side. Please try again in a moment.',
  rate_limited: 'Too many attempts. Please wait a few minutes and try again.',
};

const isErrorBody = (body: unknown): body is ErrorBody =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as ErrorBody).error === 'object' &&
  typeof (body as ErrorBody).error?.code === 'string';

function fieldMessages(details: unknown): Record<string, string> {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return {};
  return Object.fromEntries(
    Object.entries(details).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** The one message for a session the API will not renew (expired, revoked, logged out elsewhere). */
export const sessionEndedMessage = 'Your session has ended. Please log in again.';

export const sessionEnded = (): ApiError => new ApiError(sessionEndedMessage, 'unauthenticated', 401);

/** Any failure of an API call as an ApiError with the contract's code and field messages. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isAxiosError(error)) {
    const response = error.response;
    if (!response) return new ApiError(plainMessages.network!, 'network', 0);
    if (isErrorBody(response.data)) {
      const { code, message, details } = response.data.error;
      return new ApiError(plainMessages[code] ?? message, code, response.status, fieldMessages(details));
    }
    return new ApiError(plainMessages.internal!, 'internal', response.status);
  }
  return new ApiError(plainMessages.internal!, 'internal', 0);
}
