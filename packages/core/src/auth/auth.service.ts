import type { EntityManager } from '@mikro-orm/postgresql';
import type { Login, Register, UserDto } from '@lapak/contracts';
import { newId } from '../db/ids';
import { AppError } from '../errors/app-error';
import type { AuthRateLimiter } from './auth-rate-limiter';
import { hashPassword, verifyPassword } from './password';
import { SessionService, type Session } from './session.service';
import type { Principal, TokenService } from './token.service';
import { UserRepository, type UserRecord } from './user.repository';

export function toUserDto(user: UserRecord): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

const wrongCredentials = () => new AppError('unauthenticated', 'The email or password is wrong');

/** A hash of a password nobody has, verified when the email is unknown so both cases take as long. */
let decoyHash: Promise<string> | undefined;

/** Registration (customers only), login (each starts a session) and the caller's own user. */
export class AuthService {
  private readonly users: UserRepository;
  private readonly sessions: SessionService;

  constructor(
    em: EntityManager,
    tokens: TokenService,
    private readonly limiter: AuthRateLimiter,
    refreshTtlSeconds: number,
  ) {
    this.users = new UserRepository(em);
    this.sessions = new SessionService(em, tokens, refreshTtlSeconds);
  }

  async register(input: Register, client: { ip: string }): Promise<Session> {
    await this.limiter.consumeRegister(input.email, client.ip);
    const user = await this.users.insert({
      id: newId(),
      email: input.email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      role: 'customer',
    });
    if (!user) {
      throw new AppError('conflict', 'An account with this email already exists', {
        email: 'already registered',
      });
    }
    return this.sessions.start(user);
  }

  async login(input: Login, client: { ip: string }): Promise<Session> {
    await this.limiter.checkLogin(input.email, client.ip);
    const user = await this.users.findByEmail(input.email);
    if (!user) {
      decoyHash ??= hashPassword(newId());
      await verifyPassword(await decoyHash, input.password);
      await this.limiter.loginFailed(input.email, client.ip);
      throw wrongCredentials();
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      await this.limiter.loginFailed(input.email, client.ip);
      throw wrongCredentials();
    }
    await this.limiter.loginSucceeded(input.email, client.ip);
    return this.sessions.start(user);
  }

  async me(principal: Principal): Promise<{ user: UserDto }> {
    if (!principal.userId) throw new AppError('not_found', 'The admin API token belongs to no user');
    const user = await this.users.findById(principal.userId);
    if (!user) throw new AppError('unauthenticated', 'The user of this token no longer exists');
    return { user: toUserDto(user) };
  }
}
