import axios, { type AxiosInstance } from 'axios';
import { config } from '../config';
import { toApiError } from './api-error';

export interface HttpOptions {
  baseUrl?: string;
  /** The current bearer token, read at each request. */
  token: () => string | null;
  /** Called when the API rejects the token (expired, revoked). */
  onUnauthenticated?: () => void;
}

/**
 * The axios instance for the Lapak API: base URL `…/api/v1`, the shopper's bearer token, and
 * every failure turned into an ApiError.
 */
export function createHttp(options: HttpOptions): AxiosInstance {
  const http = axios.create({
    baseURL: `${options.baseUrl ?? config.apiUrl}/api/v1`,
    timeout: 15_000,
    headers: { Accept: 'application/json' },
  });
  http.interceptors.request.use((request) => {
    const token = options.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  });
  http.interceptors.response.use(undefined, (error: unknown) => {
    const apiError = toApiError(error);
    const sentToken = axios.isAxiosError(error) && error.config?.headers?.has?.('Authorization');
    if (apiError.code === 'unauthenticated' && sentToken) options.onUnauthenticated?.();
    return Promise.reject(apiError);
  });
  return http;
}
