import { createHttp } from './http';
import { LapakApi } from './lapak-api';

const session = {
  token: (): string | null => null,
  onUnauthenticated: (): void => {},
};

/** The auth store tells the API client where the token is and what to do when it is refused. */
export function bindSession(token: () => string | null, onUnauthenticated: () => void): void {
  session.token = token;
  session.onUnauthenticated = onUnauthenticated;
}

/** The storefront's one API client. */
export const api = new LapakApi(
  createHttp({ token: () => session.token(), onUnauthenticated: () => session.onUnauthenticated() }),
);
