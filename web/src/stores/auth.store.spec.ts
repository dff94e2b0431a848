import type { AuthResult } from '@lapak/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { AxiosError, type AxiosInstance } from 'axios';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { sessionStore, useAuthStore } from './auth.store';

const b64url = (value: object) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (exp: number) => `${b64url({ alg: 'HS256' })}.${b64url({ sub: 'u1', exp })}.sig`;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

const result = (token = jwt(inAnHour())): AuthResult => ({
  token,
  user: {
    id: '0192f0c4-0000-7000-8000-000000000001',
    email: 'ana@example.com',
    name: 'Ana',
    role: 'customer',
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:00.000Z',
  },
});

describe('auth store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => vi.restoreAllMocks());

  it('logs in, keeps the session across a reload, and logs out', async () => {
    vi.spyOn(api, 'login').mockResolvedValue(result());
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
    sessionStore.write(result(jwt(Math.floor(Date.now() / 1000) - 10)));
    expect(useAuthStore().isLoggedIn).toBe(false);
    expect(sessionStore.read()).toBeNull();
  });

  it('ends the session when the API refuses the token', async () => {
    sessionStore.write(result());
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
