import type { AuthResult } from '@lapak/contracts';

const base64url = (value: object) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A token shaped like the API's JWT; the browser reads its payload and never checks the signature. */
export const makeToken = (payload: object): string =>
  `${base64url({ alg: 'HS256' })}.${base64url(payload)}.signature`;

/** Seconds since the epoch, `seconds` from now: a token's `exp`. */
export const secondsFromNow = (seconds: number): number => Math.floor(Date.now() / 1000) + seconds;

/** The API's answer to a log-in or a registration: Ana, with a token good for an hour. */
export const makeAuthResult = (token = makeToken({ sub: 'u1', exp: secondsFromNow(3600) })): AuthResult => ({
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
