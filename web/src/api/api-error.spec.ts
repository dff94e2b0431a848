import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from './api-error';

function axiosFailure(status: number | null, data?: unknown): AxiosError {
  const config = { headers: new AxiosHeaders() };
  const response =
    status === null ? undefined : ({ status, data, statusText: '', headers: {}, config } as AxiosResponse);
  return new AxiosError(
    'failed',
    status === null ? 'ERR_NETWORK' : 'ERR_BAD_REQUEST',
    config,
    null,
    response,
  );
}

describe('toApiError', () => {
  it('keeps the contract’s code, message and field messages', () => {
    const error = toApiError(
      axiosFailure(400, {
        error: {
          code: 'validation_failed',
          message: 'The request body is not valid',
          details: { email: 'must be an email address', password: 'must be at least 8 characters' },
        },
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('validation_failed');
    expect(error.status).toBe(400);
    expect(error.message).toBe('The request body is not valid');
    expect(error.fields).toEqual({
      email: 'must be an email address',
      password: 'must be at least 8 characters',
    });
    expect(error.retryable).toBe(false);
  });

  it('says the shop cannot be reached when no answer came, and that a retry may help', () => {
    const error = toApiError(axiosFailure(null));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/cannot be reached/);
    expect(error.retryable).toBe(true);
  });

  it('never shows a server’s own text for a 500 or an answer that is not the contract’s', () => {
    expect(toApiError(axiosFailure(500, { error: { code: 'internal', message: 'db down' } })).message).toBe(
      'Something went wrong on our side. Please try again in a moment.',
    );
    const html = toApiError(axiosFailure(502, '<html>Bad gateway</html>'));
    expect(html.code).toBe('internal');
    expect(html.retryable).toBe(true);
  });

  it('ignores details that are not field messages', () => {
    expect(
      toApiError(axiosFailure(409, { error: { code: 'conflict', message: 'x', details: [1] } })).fields,
    ).toEqual({});
  });
});
