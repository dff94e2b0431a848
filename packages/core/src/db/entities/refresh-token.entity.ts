import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { foreignKey } from './foreign-key';
import { User } from './user.entity';
import { nowOnCreate } from './timestamps';

/**
 * A refresh token, kept as its SHA-256 only. Each refresh uses a token up and issues the next of
 * its family (one family per login); a used token shown again means it was stolen, and the whole
 * family is revoked.
 */
export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: p.uuid().primary(),
    userId: foreignKey(User, 'refresh_tokens', 'user_id').updateRule('no action').deleteRule('cascade'),
    familyId: p.uuid(),
    tokenHash: p.text().unique('refresh_tokens_token_hash_key'),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: nowOnCreate(),
  },
  indexes: [
    { name: 'refresh_tokens_family_idx', properties: ['familyId'] },
    { name: 'refresh_tokens_user_idx', properties: ['userId'] },
  ],
});

export type RefreshToken = InferEntity<typeof RefreshToken>;
