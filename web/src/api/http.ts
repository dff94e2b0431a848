import axios, { isAxiosError, type AxiosInstance } from 'axios';
import { config } from '../config';
import { sessionEnded, toApiError } from './api-error';

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Set on a request sent again after its token was refused: it is never sent a third time. */
    lapakReplay?: boolean;
  }
}

/** What the HTTP client asks of the shopper's session (the auth store answers). */
export interface HttpSession {
  /**
   * The bearer token to send now, after any renewal in flight, renewed first if it has run out;
   * null when signed out. Rejects with an ApiError when that renewal ends the session.
   */
  token(): Promise<string | null>;
  /** A new access token from the refresh cookie, one renewal at a time; rejects with an ApiError. */
  renew(): Promise<string>;
  /** The API refused even a renewed token: the session is over. */
  refused(): void;
}

export interface HttpOptions {
  baseUrl?: string;
  session?: HttpSession;
}

/**
 * The axios instance for the Lapak API: base URL `…/api/v1`, the shopper's bearer token, and
 * every failure turned into an ApiError.
 *
 * A request whose token is refused (401) gets one renewal and is sent once more with the new
 * token; requests refused together share that renewal. Replaying is safe: the API checks the
 * token before it does anything. Requests sent with the refresh cookie (`withCredentials`: log in,
 * register, refresh, log out) carry no bearer token and are never replayed.
 */
export function createHttp(options: HttpOptions = {}): AxiosInstance {
  const session = options.session;
  const http = axios.create({
    baseURL: `${options.baseUrl ?? config.apiUrl}/api/v1`,
    timeout: 15_000,
    headers: { Accept: 'application/json' },
  });
  http.interceptors.request.use(async (request) => {
    if (!session || request.withCredentials) return request;
    const token = await session.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  });
  http.interceptors.response.use(undefined, async (error: unknown) => {
    const apiError = toApiError(error);
    const request = isAxiosError(error) ? error.config : undefined;
    const sent = request?.headers?.get('Authorization');
    if (!session || !request || typeof sent !== 'string' || apiError.code !== 'unauthenticated') {
      throw apiError;
    }
    if (request.lapakReplay) {
      session.refused();
      throw sessionEnded();
    }
    // token() waits for a renewal in flight: requests refused together share it. One that
    // finished while this request was on its way has left a newer token; one that failed has
    // signed the shopper out (or rejects here), and is not tried again.
    const current = await session.token();
    if (!current) throw sessionEnded();
    if (sent === `Bearer ${current}`) await session.renew();
    return http.request({ ...request, lapakReplay: true });
  });
  return http;
}
