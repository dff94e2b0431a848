import { sql, type Selectable } from 'kysely';
import type { AggregateType } from '@lapak/contracts';
import type { Database } from '../db/database';
import type { ProductEventFields, CategoryEventFields } from '../catalog/catalog-events';
import {
  categoryFieldColumns,
  categoryFields,
  productFieldColumns,
  productFields,
} from '../catalog/catalog-columns';
import { KyselyRepository } from '../db/kysely-repository';
import type { ProductUpsertedEventRow } from '../db/sql/sql-function-rows';

/** A variant as `product.upserted` carries it (db/sql/product-upserted-event.sql). */
export interface VariantSyncRow {
  id: string;
  sku: string;
  optionValues: Record<string, string>;
  priceCents: number;
  stock: number;
  /** The product's version when this variant last changed. */
  version: number;
  /** Its 0-based position among the product's variants. */
  sort: number;
}

/** A product's API-owned state in PostgreSQL, deleted ones included. */
export interface ProductSyncRow extends ProductEventFields {
  deleted: boolean;
  updatedAt: Date;
  /** Read for a flow of event schema version 2 (`withVariants`): what its events carry besides. */
  options?: { name: string; values: string[] }[];
  variants?: VariantSyncRow[];
}
export interface CategorySyncRow extends CategoryEventFields {
  deleted: boolean;
  updatedAt: Date;
}

const productColumns = [...productFieldColumns, 'deleted_at', 'updated_at'] as const;
const categoryColumns = [...categoryFieldColumns, 'deleted_at', 'updated_at'] as const;

type ProductRow = Pick<Selectable<Database['products']>, (typeof productColumns)[number]>;
type CategoryRow = Pick<Selectable<Database['categories']>, (typeof categoryColumns)[number]>;

const productRow = (row: ProductRow): ProductSyncRow => ({
  ...productFields(row),
  deleted: row.deleted_at !== null,
  updatedAt: row.updated_at,
});
const categoryRow = (row: CategoryRow): CategorySyncRow => ({
  ...categoryFields(row),
  deleted: row.deleted_at !== null,
  updatedAt: row.updated_at,
});

/** The catalog as the sync sees it: current versions, full reads for reconciliation, repairs. */
export class CatalogSyncRepository extends KyselyRepository {
  /** Current version of each aggregate (deleted ones included), keyed `<type>:<id>`. */
  async currentVersions(aggregates: { type: AggregateType; id: string }[]): Promise<Map<string, number>> {
    const ids = (type: AggregateType) => [
      ...new Set(aggregates.filter((a) => a.type === type).map((a) => a.id)),
    ];
    const productIds = ids('product');
    const categoryIds = ids('category');
    const rows = await this.db
      .selectFrom('products')
      .select([sql.lit<AggregateType>('product').as('type'), 'id', 'version'])
      .where('id', '=', (eb) => eb.fn.any(eb.val(productIds)))
      .unionAll((eb) =>
        eb
          .selectFrom('categories')
          .select([sql.lit<AggregateType>('category').as('type'), 'id', 'version'])
          .where('id', '=', (eb) => eb.fn.any(eb.val(categoryIds))),
      )
      .execute();
    return new Map(rows.map((row) => [`${row.type}:${row.id}`, row.version]));
  }

  async allProducts(): Promise<ProductSyncRow[]> {
    const rows = await this.db.selectFrom('products').select(productColumns).orderBy('id').execute();
    return rows.map(productRow);
  }

  /**
   * `products` with the options and variants of each live one, read through the function that
   * builds `product.upserted` (db/sql/product-upserted-event.sql), so that the reconciliation
   * compares Directus with exactly what the events carry.
   */
  async withVariants(products: ProductSyncRow[]): Promise<ProductSyncRow[]> {
    const rows = await this.db
      .selectFrom('products as p')
      // A set-returning function of the row: Kysely has no builder for its call, so it is SQL typed by its result.
      .crossJoinLateral(sql<ProductUpsertedEventRow>`product_upserted_event(p)`.as('e'))
      .select(['p.id', 'e.payload'])
      .where('p.deleted_at', 'is', null)
      .execute();
    const payloads = new Map(rows.map((row) => [row.id, row.payload as Record<string, unknown>]));
    return products.map((product) => {
      const payload = payloads.get(product.id);
      if (!payload) return product;
      return {
        ...product,
        options: (payload.options as ProductSyncRow['options']) ?? [],
        variants: (payload.variants as VariantSyncRow[] | undefined) ?? [],
      };
    });
  }

  async allCategories(): Promise<CategorySyncRow[]> {
    const rows = await this.db.selectFrom('categories').select(categoryColumns).orderBy('id').execute();
    return rows.map(categoryRow);
  }

  async bumpProducts(ids: string[]): Promise<ProductSyncRow[]> {
    if (ids.length === 0) return [];
    return (await this.bump('products', ids).returning(productColumns).execute()).map(productRow);
  }

  async bumpCategories(ids: string[]): Promise<CategorySyncRow[]> {
    if (ids.length === 0) return [];
    return (await this.bump('categories', ids).returning(categoryColumns).execute()).map(categoryRow);
  }

  /**
   * Gives each live variant of these products its product's version (bumped just before), so
   * that re-emitting the product rewrites its variants too: the version fence would refuse a
   * variant at the version Directus already holds, however different its fields there.
   */
  async bumpVariantsOf(productIds: string[]): Promise<void> {
    if (productIds.length === 0) return;
    await this.db
      .updateTable('product_variants as v')
      .from('products as p')
      .set((eb) => ({ version: eb.ref('p.version'), updated_at: eb.fn('now') }))
      .whereRef('v.product_id', '=', 'p.id')
      .where('p.id', '=', (eb) => eb.fn.any(eb.val(productIds)))
      .where('v.deleted_at', 'is', null)
      .execute();
  }

  /** A new version of each row (nothing else changes), for re-emitting its current state. */
  private bump(table: 'products' | 'categories', ids: string[]) {
    return this.db
      .updateTable(table)
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: eb.fn('now') }))
      .where('id', '=', (eb) => eb.fn.any(eb.val(ids)));
  }
}
