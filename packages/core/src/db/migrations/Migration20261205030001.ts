import { Migration } from '@mikro-orm/migrations';

/**
 * Refresh tokens: access tokens live minutes, and a session goes on through a refresh token in
 * an httpOnly cookie, kept here as its hash, rotated on each use and revocable.
 */
export class Migration20261205030001 extends Migration {
  override up(): void {
    this.addSql(`
      create table refresh_tokens (
        id uuid primary key,
        user_id uuid not null,
        family_id uuid not null,
        token_hash text not null constraint refresh_tokens_token_hash_key unique,
        expires_at timestamptz not null,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz not null default now(),
        constraint refresh_tokens_user_id_fkey foreign key (user_id) references users (id) on delete cascade
      );`);
    this.addSql(`create index refresh_tokens_family_idx on refresh_tokens (family_id);`);
    this.addSql(`create index refresh_tokens_user_idx on refresh_tokens (user_id);`);
  }

  override down(): void {
    this.addSql(`drop table refresh_tokens;`);
  }
}
