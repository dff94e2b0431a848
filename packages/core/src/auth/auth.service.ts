import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthResult, Login, Register, UserDto } from '@lapak/contracts';
import { newId } from '../db/ids';
import { AppError } from '../errors/app-error';
import type { AuthRateLimiter } from './auth-rate-limiter';
import { hashPassword, verifyPassword } from './password';
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

/** Registration (customers only), login and the caller's own user. */
export class AuthService {
  private readonly users: UserRepository;

  constructor(
    em: EntityManager,
    private readonly tokens: TokenService,
    private readonly limiter: AuthRateLimiter,
  ) {
    this.users = new UserRepository(em);
  }

  async register(input: Register, client: { ip: string }): Promise<AuthResult> {
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
    return { user: toUserDto(user), token: await this.tokens.issue(user) };
  }

  async login(input: Login, client: { ip: string }): Promise<AuthResult> {
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
    return { user: toUserDto(user), token: await this.tokens.issue(user) };
  }

  async me(principal: Principal): Promise<{ user: UserDto }> {
    if (!principal.userId) throw new AppError('not_found', 'The admin API token belongs to no user');
    const user = await this.users.findById(principal.userId);
    if (!user) throw new AppError('unauthenticated', 'The user of this token no longer exists');
    return { user: toUserDto(user) };
  }
}
