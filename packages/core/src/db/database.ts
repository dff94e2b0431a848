import type { EntityManager, InferKyselyDB } from '@mikro-orm/postgresql';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { entities } from './entities';

/** Every table as Kysely sees it, typed from the entities (their one description). */
export type Database = InferKyselyDB<(typeof entities)[number]>;

export type Db = Kysely<Database>;

/** The entity manager's Kysely, typed: inside `em.transactional` it runs in that transaction. */
export const db = (em: EntityManager): Db => em.getKysely<Database>();

/** A row's `created_at` and `updated_at` as the API gives them: ISO 8601 strings. */
export const isoTimestamps = (row: { created_at: Date; updated_at: Date }) => ({
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Columns that a left join may leave null. */
export type Nullable<T> = { [K in keyof T]: T[K] | null };

/**
 * `now()` less a span, on PostgreSQL's clock (the transaction's time, as the rows' timestamps).
 * SQL because Kysely has no builder for `make_interval`'s named arguments.
 */
export const ago = (span: { days: number } | { seconds: number }): RawBuilder<Date> =>
  'days' in span
    ? sql<Date>`now() - make_interval(days => ${span.days})`
    : sql<Date>`now() - make_interval(secs => ${span.seconds})`;

/**
 * A value for a `jsonb` column. Written as JSON text and cast: the driver would write a JS array
 * as a PostgreSQL array, not as JSON.
 */
export const jsonb = <T>(value: T): RawBuilder<T> => sql<T>`${JSON.stringify(value)}::jsonb`;
