import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthResult } from '@lapak/contracts';
import { newId } from '../db/ids';
import { AppError } from '../errors/app-error';
import { toUserDto } from './auth.service';
import { RefreshTokenRepository } from './refresh-token.repository';
import type { TokenService } from './token.service';
import { UserRepository, type UserRecord } from './user.repository';

/** A signed-in session: the short-lived access token (in the body) and its refresh token (a cookie). */
export interface Session {
  result: AuthResult;
  refreshToken: string;
  refreshExpiresAt: Date;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * How long a used refresh token may be shown again and still renew: a browser that reloads while
 * its renewal is answered loses the new cookie and sends the old one again. Past this, a used
 * token shown again was copied.
 */
export const REFRESH_REUSE_GRACE_MS = 10_000;
const expired = () => new AppError('unauthenticated', 'The session has ended; log in again');

/**
 * Sessions: an access token of minutes (JWT_TTL_SECONDS), renewed with a refresh token of days
 * (REFRESH_TTL_SECONDS) that is used up by each renewal and replaced by the next of its family.
 * Renewal reads the user again, so a demoted admin or a deleted user stops at the next one.
 * Showing a used token again (it was copied) revokes its whole family, unless it was used in the
 * last REFRESH_REUSE_GRACE_MS (a lost answer); logging out revokes it too.
 */
export class SessionService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokenService,
    private readonly refreshTtlSeconds: number,
  ) {}

  /** A new session for a user who just proved who they are (login, register). */
  async start(user: UserRecord): Promise<Session> {
    return this.issue(new RefreshTokenRepository(this.em), user, newId());
  }

  /** The next access token and refresh token for a live refresh token; 401 otherwise. */
  async refresh(refreshToken: string): Promise<Session> {
    const outcome = await this.em.transactional(async (em) => {
      const tokens = new RefreshTokenRepository(em);
      const current = await tokens.lockByHash(hashOf(refreshToken));
      if (!current || current.revokedAt) return null;
      if (current.usedAt && Date.now() - current.usedAt.getTime() > REFRESH_REUSE_GRACE_MS) {
        await tokens.revokeFamily(current.familyId);
        return 'reused' as const;
      }
      if (current.expiresAt.getTime() <= Date.now()) return null;
      const user = await new UserRepository(em).findById(current.userId);
      if (!user) return null;
      if (!current.usedAt) await tokens.markUsed(current.id);
      return this.issue(tokens, user, current.familyId);
    });
    if (outcome === 'reused') {
      throw new AppError(
        'unauthenticated',
        'This session was used from elsewhere and has been ended; log in again',
      );
    }
    if (!outcome) throw expired();
    return outcome;
  }

  /** Ends the session of this refresh token (every token of its family); unknown tokens are ignored. */
  async end(refreshToken: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const tokens = new RefreshTokenRepository(em);
      const current = await tokens.lockByHash(hashOf(refreshToken));
      if (current) await tokens.revokeFamily(current.familyId);
    });
  }

  private async issue(tokens: RefreshTokenRepository, user: UserRecord, familyId: string): Promise<Session> {
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.refreshTtlSeconds * 1000);
    await tokens.insert({
      id: newId(),
      userId: user.id,
      familyId,
      tokenHash: hashOf(refreshToken),
      expiresAt: refreshExpiresAt,
    });
    return {
      result: { user: toUserDto(user), token: await this.tokens.issue(user) },
      refreshToken,
      refreshExpiresAt,
    };
  }
}
