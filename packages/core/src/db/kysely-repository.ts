import type { EntityManager } from '@mikro-orm/postgresql';
import type { InsertObject } from 'kysely';
import { db, type Database, type Db } from './database';

/**
 * The base of a repository: it queries through the Kysely of the EntityManager it is made with,
 * so one made inside `em.transactional` runs every query in that transaction.
 */
export abstract class KyselyRepository {
  constructor(protected readonly em: EntityManager) {}

  protected get db(): Db {
    return db(this.em);
  }

  /** Inserts `rows` in one statement; no rows, no statement (SQL has no insert of nothing). */
  protected async insertAll<T extends keyof Database & string>(
    table: T,
    rows: InsertObject<Database, T>[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertInto(table).values(rows).execute();
  }
}
