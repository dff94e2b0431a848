import { Migration } from '@mikro-orm/migrations';
import { replaceFunctions, restoreFunctions } from './function-history';

/**
 * Product variants. Every product gets `options` (none until given) and its variants, each with
 * its own sku, option values, price and stock; an existing product becomes one variant with its
 * own sku, price and stock. Stock is taken from and given back to variants; a product's `stock`
 * stays the sum of its live variants' and its `price_cents` the lowest of their prices, for the
 * clients that know no variants. A variant's `version` is its product's version when the variant
 * last changed. Order lines name their variant and keep its option values.
 * `product_upserted_event`, `checkout_orders` and `apply_order_decisions` move to variants, from
 * their files.
 */
export class Migration20261205200001 extends Migration {
  override up(): void {
    this.addSql(`alter table products add column options jsonb not null default '[]';`);
    this.addSql(`
      create table product_variants (
        id uuid primary key,
        product_id uuid not null,
        sku text not null,
        option_values jsonb not null default '{}',
        price_cents int not null check (price_cents >= 0),
        stock int not null check (stock >= 0),
        version int not null default 1 check (version >= 1),
        sort int not null default 0,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz,
        constraint product_variants_product_id_fkey foreign key (product_id) references products (id)
      );`);
    this.addSql(
      `create unique index product_variants_sku_key on product_variants (sku) where deleted_at is null;`,
    );
    this.addSql(`
      create unique index product_variants_values_key on product_variants (product_id, option_values)
        where deleted_at is null;`);
    this.addSql(`
      insert into product_variants (id, product_id, sku, price_cents, stock, version, created_at, updated_at,
                                    deleted_at)
      select gen_random_uuid(), id, sku, price_cents, stock, version, created_at, updated_at, deleted_at
        from products;`);
    this.addSql(`
      alter table order_lines
        add column variant_id uuid,
        add column option_values jsonb not null default '{}';`);
    this.addSql(`
      update order_lines l set variant_id = v.id from product_variants v where v.product_id = l.product_id;`);
    this.addSql(`
      alter table order_lines
        alter column variant_id set not null,
        add constraint order_lines_variant_id_fkey foreign key (variant_id) references product_variants (id);`);
    replaceFunctions(this, 'product-upserted-event.sql', 'checkout-orders.sql', 'apply-order-decisions.sql');
  }

  /** Variants beyond a product's first are gone; the products keep their summed stock. */
  override down(): void {
    restoreFunctions(this, 'apply_order_decisions', 'checkout_orders', 'product_upserted_event');
    this.addSql(`alter table order_lines drop column option_values, drop column variant_id;`);
    this.addSql(`drop table product_variants;`);
    this.addSql(`alter table products drop column options;`);
  }
}
