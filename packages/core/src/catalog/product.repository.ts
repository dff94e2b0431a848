import { sql, type RawBuilder } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Product as ProductDto, ProductStatus } from '@lapak/contracts';
import { AppError } from '../errors/app-error';

/** The API-owned, writable columns of a product (camelCase). */
export interface ProductFields {
  sku: string;
  name: string;
  slug: string;
  priceCents: number;
  currency: string;
  stock: number;
  status: ProductStatus;
  categoryId: string | null;
}

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  slug: string;
  price_cents: number;
  currency: string;
  stock: number;
  status: ProductStatus;
  category_id: string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const columnOf: Record<keyof ProductFields, string> = {
  sku: 'sku',
  name: 'name',
  slug: 'slug',
  priceCents: 'price_cents',
  currency: 'currency',
  stock: 'stock',
  status: 'status',
  categoryId: 'category_id',
};

const returning = sql`id, sku, name, slug, price_cents, currency, stock, status, category_id, version, created_at, updated_at`;

function toDto(row: ProductRow): ProductDto {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    slug: row.slug,
    priceCents: row.price_cents,
    currency: row.currency,
    stock: row.stock,
    status: row.status,
    categoryId: row.category_id,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Unique sku/slug among live products → 409 naming the field; anything else passes through. */
function mapWriteError(error: unknown): never {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === '23505' && constraint === 'products_sku_key') {
    throw new AppError('conflict', 'A product with this sku already exists', { sku: 'already taken' });
  }
  if (code === '23505' && constraint === 'products_slug_key') {
    throw new AppError('conflict', 'A product with this slug already exists', { slug: 'already taken' });
  }
  if (code === '23503' && constraint === 'products_category_id_fkey') {
    throw AppError.validation('The category does not exist', { categoryId: 'no such category' });
  }
  throw error;
}

/** `%` and `_` in a search term are literal characters, not patterns. */
const likeEscape = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Products in plain SQL; writes bump `version` in the same statement that changes the row. */
export class ProductRepository {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getKysely();
  }

  async findLive(id: string): Promise<ProductDto | null> {
    const { rows } = await sql<ProductRow>`
      select ${returning} from products where id = ${id}::uuid and deleted_at is null
    `.execute(this.db);
    return rows[0] ? toDto(rows[0]) : null;
  }

  /** Live products in id order after `afterId`; `q` matches name or sku (trigram index). */
  async list(options: {
    statuses?: ProductStatus[];
    categoryId?: string;
    q?: string;
    afterId?: string;
    limit: number;
  }): Promise<ProductDto[]> {
    const filters: RawBuilder<unknown>[] = [sql`deleted_at is null`];
    if (options.statuses) filters.push(sql`status = any(${options.statuses}::text[])`);
    if (options.categoryId) filters.push(sql`category_id = ${options.categoryId}::uuid`);
    if (options.q) filters.push(sql`(name || ' ' || sku) ilike ${`%${likeEscape(options.q)}%`}`);
    if (options.afterId) filters.push(sql`id > ${options.afterId}::uuid`);
    const { rows } = await sql<ProductRow>`
      select ${returning} from products where ${sql.join(filters, sql` and `)}
       order by id limit ${options.limit}
    `.execute(this.db);
    return rows.map(toDto);
  }

  async slugTaken(slug: string, exceptId?: string): Promise<boolean> {
    const { rows } = await sql<{ taken: boolean }>`
      select exists (
        select 1 from products where slug = ${slug} and deleted_at is null
           and (${exceptId ?? null}::uuid is null or id <> ${exceptId ?? null}::uuid)
      ) as taken
    `.execute(this.db);
    return rows[0]?.taken ?? false;
  }

  async insert(id: string, fields: ProductFields): Promise<ProductDto> {
    const { rows } = await sql<ProductRow>`
      insert into products (id, sku, name, slug, price_cents, currency, stock, status, category_id)
      values (${id}::uuid, ${fields.sku}, ${fields.name}, ${fields.slug}, ${fields.priceCents},
              ${fields.currency}, ${fields.stock}, ${fields.status}, ${fields.categoryId}::uuid)
      returning ${returning}
    `
      .execute(this.db)
      .catch(mapWriteError);
    return toDto(rows[0]!);
  }

  /** Sets the given fields and `version + 1`; null when there is no live product with this id. */
  async update(id: string, fields: Partial<ProductFields>): Promise<ProductDto | null> {
    const sets = (Object.keys(fields) as (keyof ProductFields)[])
      .filter((key) => fields[key] !== undefined)
      .map((key) =>
        key === 'categoryId'
          ? sql`category_id = ${fields.categoryId}::uuid`
          : sql`${sql.ref(columnOf[key])} = ${fields[key]}`,
      );
    const { rows } = await sql<ProductRow>`
      update products set ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = now()`])}
       where id = ${id}::uuid and deleted_at is null
      returning ${returning}
    `
      .execute(this.db)
      .catch(mapWriteError);
    return rows[0] ? toDto(rows[0]) : null;
  }

  /** Soft delete with `version + 1`; null when there is no live product with this id. */
  async softDelete(id: string): Promise<{ id: string; version: number } | null> {
    const { rows } = await sql<{ id: string; version: number }>`
      update products set deleted_at = now(), updated_at = now(), version = version + 1
       where id = ${id}::uuid and deleted_at is null
      returning id, version
    `.execute(this.db);
    return rows[0] ?? null;
  }

  /** Live products in a category (a category with any cannot be deleted). */
  async countLiveInCategory(categoryId: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from products where category_id = ${categoryId}::uuid and deleted_at is null
    `.execute(this.db);
    return rows[0]?.n ?? 0;
  }
}
