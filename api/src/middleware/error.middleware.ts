import { errorStatus, type ErrorBody, type ErrorCode } from '@lapak/contracts';
import { AppError } from '@lapak/core';
import type { ApiContext, ApiMiddleware } from '../http/api-state';

/** Errors thrown by Koa's own parts (body parser, router) carry an HTTP status. */
const codeForStatus: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'idempotency_key_reused',
  429: 'rate_limited',
};

function toErrorBody(error: unknown): { status: number; body: ErrorBody; unexpected: boolean } {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: errorStatus[error.code], body, unexpected: error.code === 'internal' };
  }
  const status = (error as { status?: unknown; expose?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = codeForStatus[status] ?? 'validation_failed';
    const exposed = (error as { expose?: boolean }).expose && error instanceof Error;
    const message =
      status === 400 && exposed ? `The request body is not valid JSON: ${error.message}` : undefined;
    return {
      status: errorStatus[code] === status ? status : errorStatus[code],
      body: { error: { code, message: message ?? defaultMessages[code] } },
      unexpected: false,
    };
  }
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' } },
    unexpected: true,
  };
}

const defaultMessages: Record<ErrorCode, string> = {
  validation_failed: 'The request is not valid',
  unauthenticated: 'Authentication is required',
  forbidden: 'You may not do this',
  not_found: 'Not found',
  method_not_allowed: 'The path does not serve this method',
  conflict: 'The request conflicts with the current state',
  payload_too_large: 'The request body is too large',
  unsupported_media_type: 'The request body must be application/json',
  idempotency_key_reused: 'The Idempotency-Key was used with a different request',
  invalid_state: 'The resource is not in a state that allows this',
  payment_amount_mismatch: 'The amount is not what the payment asks for',
  payment_reference_mismatch: "The reference is not the payment's",
  quantity_limit_exceeded: 'A line asks for more units than one order may have',
  rate_limited: 'Too many requests; try again later',
  internal: 'Something went wrong on our side',
};

/**
 * What the routers leave without a body: no route (404), or a method the path does not serve
 * (the router's 405, or its 501 for a method no route has: input, so never a 5xx).
 */
function unrouted(ctx: ApiContext): void {
  const allowed = ctx.response.get('Allow');
  if ((ctx.status === 405 || ctx.status === 501) && allowed) {
    ctx.status = 405;
    ctx.body = {
      error: {
        code: 'method_not_allowed',
        message: `${ctx.method} is not served on ${ctx.path}; it serves ${allowed}`,
      },
    };
  } else if (ctx.status === 404 || ctx.status === 501) {
    ctx.status = 404;
    ctx.remove('Allow');
    ctx.body = { error: { code: 'not_found', message: `No route for ${ctx.method} ${ctx.path}` } };
  }
}

/** Maps every error to the contract's JSON error body; never leaks a stack trace or SQL. */
export const errorMiddleware: ApiMiddleware = async (ctx, next) => {
  try {
    await next();
    if (ctx.body === undefined) unrouted(ctx);
  } catch (error) {
    const { status, body, unexpected } = toErrorBody(error);
    if (unexpected) ctx.state.log.error({ err: error }, 'unhandled error');
    ctx.status = status;
    ctx.body = body;
    if (status === 429 && (error as { retryAfter?: number }).retryAfter) {
      ctx.set('Retry-After', String((error as { retryAfter: number }).retryAfter));
    }
  }
};
