import { TokenService, hashPassword, newId } from '@lapak/core';
import { sql, type QueryExecutorProvider } from 'kysely';

/**
 * Inserts `count` customers (bench-<i>@example.test, one password), lets each keep up to 1000
 * orders open (a run leaves orders open faster than any worker closes them, past a shop's usual
 * cap), and returns a 24-hour token for each, in order.
 */
export async function insertShoppers(
  db: QueryExecutorProvider,
  count: number,
  jwtSecret: string,
): Promise<string[]> {
  const passwordHash = await hashPassword('bench password');
  const ids = Array.from({ length: count }, () => newId());
  await sql`
    insert into users (id, email, name, password_hash, role)
    select id, 'bench-' || (n - 1) || '@example.test', 'Bench ' || (n - 1), ${passwordHash}, 'customer'
      from unnest(${ids}::uuid[]) with ordinality as u(id, n)
  `.execute(db);
  await sql`update shop_settings set max_open_orders_per_user = 1000`.execute(db);
  const issuer = new TokenService(jwtSecret, 24 * 3600);
  return Promise.all(ids.map((id) => issuer.issue({ id, role: 'customer' })));
}
