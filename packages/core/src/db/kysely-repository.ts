import type { EntityManager } from '@mikro-orm/postgresql';
import { db, type Db } from './database';

/**
 * The base of a repository: it queries through the Kysely of the EntityManager it is made with,
 * so one made inside `em.transactional` runs every query in that transaction.
 */
export abstract class KyselyRepository {
  constructor(protected readonly em: EntityManager) {}

  protected get db(): Db {
    return db(this.em);
  }
}
