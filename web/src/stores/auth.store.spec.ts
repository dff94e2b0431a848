import { createPinia, setActivePinia } from 'pinia';
import { AxiosError, type AxiosInstance } from 'axios';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { makeAuthResult, makeToken, secondsFromNow } from '../testing/factories';
import { sessionStore, useAuthStore } from './auth.store';

describe('auth store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => vi.restoreAllMocks());

  it('logs in, keeps the session across a reload, and logs out', async () => {
    vi.spyOn(api, 'login').mockResolvedValue(makeAuthResult());
    await useAuthStore().login({ email: 'ana@example.com', password: 'secret-password' });
    expect(useAuthStore().user?.name).toBe('Ana');

    setActivePinia(createPinia());
    const reloaded = useAuthStore();
    expect(reloaded.isLoggedIn).toBe(true);
    expect(reloaded.user?.email).toBe('ana@example.com');

    reloaded.logout();
    expect(reloaded.isLoggedIn).toBe(false);
    expect(sessionStore.read()).toBeNull();
  });

  it('drops a stored session whose token has expired', () => {
    sessionStore.write(makeAuthResult(makeToken({ sub: 'u1', exp: secondsFromNow(-10) })));
    expect(useAuthStore().isLoggedIn).toBe(false);
    expect(sessionStore.read()).toBeNull();
  });

  it('ends the session when the API refuses the token', async () => {
    sessionStore.write(makeAuthResult());
    const auth = useAuthStore();
    const sent: (string | null)[] = [];
    // The real HTTP client, with the network replaced by an answer of 401.
    const http = (api as unknown as { http: AxiosInstance }).http;
    const adapter = http.defaults.adapter;
    onTestFinished(() => void (http.defaults.adapter = adapter));
    http.defaults.adapter = async (config) => {
      sent.push(String(config.headers.get('Authorization') ?? null));
      throw new AxiosError('401', 'ERR_BAD_REQUEST', config, null, {
        status: 401,
        statusText: 'Unauthorized',
        headers: {},
        config,
        data: { error: { code: 'unauthenticated', message: 'The token has been revoked' } },
      });
    };

    await auth.verify();

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^Bearer ey/);
    expect(auth.isLoggedIn).toBe(false);
    expect(auth.expiredAt).not.toBeNull();
    expect(sessionStore.read()).toBeNull();
  });

  it('keeps the field messages of a refused registration for the form', async () => {
    vi.spyOn(api, 'register').mockRejectedValue(
      new ApiError('The request body is not valid', 'validation_failed', 400, {
        password: 'must be at least 8 characters',
      }),
    );
    const error = await useAuthStore()
      .register({ email: 'ana@example.com', password: 'short', name: 'Ana' })
      .catch((caught: unknown) => caught);
    expect((error as ApiError).fields).toEqual({ password: 'must be at least 8 characters' });
    expect(useAuthStore().isLoggedIn).toBe(false);
  });
});
