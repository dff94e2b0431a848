import type { User } from '../db/entities';
import { TokenService } from '../auth/token.service';
import { makeUser } from './factories';
import type { TestEnv } from './test-env';

/** Access tokens signed as the API's sign-in signs them, for tests that call the API as a user. */
export function userTokens(env: TestEnv) {
  const tokenFor = (user: Pick<User, 'id' | 'role'>) =>
    new TokenService(env.config.JWT_SECRET, 3600).issue(user);
  return {
    tokenFor,
    /** A token of a new admin. */
    adminToken: async () => tokenFor(await makeUser(env.orm.em.fork(), { role: 'admin' })),
    /** A token of a new customer. */
    customerToken: async () => tokenFor(await makeUser(env.orm.em.fork())),
  };
}
