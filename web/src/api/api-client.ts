import { createHttp, type HttpSession } from './http';
import { LapakApi } from './lapak-api';

let session: HttpSession | null = null;

/** The auth store tells the API client where the token is, how to renew it, and when it is over. */
export function bindSession(bound: HttpSession): void {
  session = bound;
}

/** The storefront's one API client. */
export const api = new LapakApi(
  createHttp({
    session: {
      token: async () => (session ? session.token() : null),
      renew: async () => {
        if (!session) throw new Error('No session is bound to the API client');
        return session.renew();
      },
      refused: () => session?.refused(),
    },
  }),
);
