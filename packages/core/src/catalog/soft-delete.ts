import type { Db } from '../db/database';

/**
 * Soft-deletes a live product or category in one statement: `deleted_at` and `updated_at` set,
 * `version + 1` so the delete event carries a version newer than every upsert before it. Null
 * when there is no live row with this id.
 */
export async function softDeleteLive(
  db: Db,
  table: 'products' | 'categories',
  id: string,
): Promise<{ id: string; version: number } | null> {
  const row = await db
    .updateTable(table)
    .set((eb) => ({ deleted_at: eb.fn('now'), updated_at: eb.fn('now'), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returning(['id', 'version'])
    .executeTakeFirst();
  return row ?? null;
}
