import type { EntityManager } from '@mikro-orm/postgresql';
import { db } from '../db/database';

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** Refresh tokens by their hash; a token is looked up and used up under a row lock. */
export class RefreshTokenRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(token: { id: string; userId: string; familyId: string; tokenHash: string; expiresAt: Date }) {
    await db(this.em)
      .insertInto('refresh_tokens')
      .values({
        id: token.id,
        user_id: token.userId,
        family_id: token.familyId,
        token_hash: token.tokenHash,
        expires_at: token.expiresAt,
      })
      .execute();
  }

  /** The token with this hash, locked for the caller's transaction. */
  async lockByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const row = await db(this.em)
      .selectFrom('refresh_tokens')
      .select([
        'id',
        'user_id as userId',
        'family_id as familyId',
        'expires_at as expiresAt',
        'used_at as usedAt',
        'revoked_at as revokedAt',
      ])
      .where('token_hash', '=', tokenHash)
      .forUpdate()
      .executeTakeFirst();
    return row ?? null;
  }

  async markUsed(id: string): Promise<void> {
    await db(this.em)
      .updateTable('refresh_tokens')
      .set({ used_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  /** Revokes every token of the family still live. */
  async revokeFamily(familyId: string): Promise<void> {
    await db(this.em)
      .updateTable('refresh_tokens')
      .set({ revoked_at: new Date() })
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
