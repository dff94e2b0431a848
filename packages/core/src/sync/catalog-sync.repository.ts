import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AggregateType } from '@lapak/contracts';
import type { ProductEventFields, CategoryEventFields } from '../catalog/catalog-events';

/** A product's API-owned state in PostgreSQL, deleted ones included. */
export interface ProductSyncRow extends ProductEventFields {
  deleted: boolean;
  updatedAt: Date;
}
export interface CategorySyncRow extends CategoryEventFields {
  deleted: boolean;
  updatedAt: Date;
}

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  slug: string;
  price_cents: number;
  currency: string;
  stock: number;
  status: ProductEventFields['status'];
  category_id: string | null;
  version: number;
  deleted_at: Date | null;
  updated_at: Date;
}
interface CategoryRow {
  id: string;
  name: string;
  slug: string;
  parent_id: string | null;
  version: number;
  deleted_at: Date | null;
  updated_at: Date;
}

const productRow = (row: ProductRow): ProductSyncRow => ({
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
  deleted: row.deleted_at !== null,
  updatedAt: new Date(row.updated_at),
});
const categoryRow = (row: CategoryRow): CategorySyncRow => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  parentId: row.parent_id,
  version: row.version,
  deleted: row.deleted_at !== null,
  updatedAt: new Date(row.updated_at),
});

const productColumns = sql`id, sku, name, slug, price_cents, currency, stock, status, category_id, version, deleted_at, updated_at`;
const categoryColumns = sql`id, name, slug, parent_id, version, deleted_at, updated_at`;

/** The catalog as the sync sees it: current versions, full reads for reconciliation, repairs. */
export class CatalogSyncRepository {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getKysely();
  }

  /** Current version of each aggregate (deleted ones included), keyed `<type>:<id>`. */
  async currentVersions(aggregates: { type: AggregateType; id: string }[]): Promise<Map<string, number>> {
    const ids = (type: AggregateType) => [
      ...new Set(aggregates.filter((a) => a.type === type).map((a) => a.id)),
    ];
    const productIds = ids('product');
    const categoryIds = ids('category');
    const { rows } = await sql<{ type: AggregateType; id: string; version: number }>`
      select 'product' as type, id, version from products where id = any(${productIds}::uuid[])
      union all
      select 'category' as type, id, version from categories where id = any(${categoryIds}::uuid[])
    `.execute(this.db);
    return new Map(rows.map((row) => [`${row.type}:${row.id}`, row.version]));
  }

  async allProducts(): Promise<ProductSyncRow[]> {
    const { rows } = await sql<ProductRow>`select ${productColumns} from products order by id`.execute(
      this.db,
    );
    return rows.map(productRow);
  }

  async allCategories(): Promise<CategorySyncRow[]> {
    const { rows } = await sql<CategoryRow>`select ${categoryColumns} from categories order by id`.execute(
      this.db,
    );
    return rows.map(categoryRow);
  }

  /** A new version of each product (nothing else changes), for re-emitting its current state. */
  async bumpProducts(ids: string[]): Promise<ProductSyncRow[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<ProductRow>`
      update products set version = version + 1, updated_at = now() where id = any(${ids}::uuid[])
      returning ${productColumns}
    `.execute(this.db);
    return rows.map(productRow);
  }

  async bumpCategories(ids: string[]): Promise<CategorySyncRow[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<CategoryRow>`
      update categories set version = version + 1, updated_at = now() where id = any(${ids}::uuid[])
      returning ${categoryColumns}
    `.execute(this.db);
    return rows.map(categoryRow);
  }
}
