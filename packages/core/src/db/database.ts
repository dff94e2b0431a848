import type { EntityManager, InferKyselyDB } from '@mikro-orm/postgresql';
import type { Kysely } from 'kysely';
import type { entities } from './entities';

/** Every table as Kysely sees it, typed from the entities (their one description). */
export type Database = InferKyselyDB<(typeof entities)[number]>;

export type Db = Kysely<Database>;

/** The entity manager's Kysely, typed: inside `em.transactional` it runs in that transaction. */
export const db = (em: EntityManager): Db => em.getKysely<Database>();

/** Columns that a left join may leave null. */
export type Nullable<T> = { [K in keyof T]: T[K] | null };
