import { Migration } from '@mikro-orm/migrations';

/**
 * `apply_order_decisions(...)`: writes a batch of order decisions made against stock read
 * without locks, in one statement, so no row stays locked while the worker is busy between
 * statements. It locks the orders, then the products, each in id order (the order every other
 * writer uses); takes each product's units only where that much remains and the product is
 * sellable, bumping its version once and appending its `product.upserted` event to the outbox
 * (the `data` of `productUpserted` in catalog-events.ts); and writes the statuses. If an order is
 * no longer pending or a product cannot give its units (the catalog moved since the read), it
 * raises `LP409` and nothing is written: the caller reads again and decides again.
 * Input: the products and units to take, and per order its status and failure reason.
 * Output: the changed orders. Every statement finds its rows by the id arrays (`id = any(...)`),
 * so a plan cached for the session looks them up by index instead of joining whole tables.
 */
export class Migration20261202020001 extends Migration {
  /** The function as this migration created it; its current text is db/sql/apply-order-decisions.sql. */
  static readonly applyOrderDecisions = `
      create function apply_order_decisions(
        p_product_ids uuid[], p_quantities int[], p_order_ids uuid[], p_statuses text[], p_reasons text[]
      ) returns table (
        id uuid, user_id uuid, status text, failure_reason text, created_at timestamptz, updated_at timestamptz
      ) language plpgsql as $fn$
      #variable_conflict use_column
      declare
        v_count int;
      begin
        -- By id alone: the status index holds an entry for every order that ever was pending.
        select count(*) filter (where o.status = 'pending') into v_count
          from (select o.status from orders o where o.id = any(p_order_ids) order by o.id for no key update) as o;
        if v_count <> cardinality(p_order_ids) then
          raise exception 'an order of the batch is no longer pending' using errcode = 'LP409';
        end if;

        perform 1 from products p where p.id = any(p_product_ids) order by p.id for no key update;
        with taken as (
          update products p
             set stock = p.stock - d.quantity, version = p.version + 1, updated_at = now()
            from unnest(p_product_ids, p_quantities) as d(id, quantity)
           where p.id = any(p_product_ids) and p.id = d.id
             and p.stock >= d.quantity and p.status = 'published' and p.deleted_at is null
          returning p.id, p.sku, p.name, p.slug, p.price_cents, p.currency, p.stock, p.status, p.category_id, p.version
        ), events as (
          insert into outbox_events (event_id, type, aggregate_type, aggregate_id, aggregate_version, payload)
          select gen_random_uuid(), 'product.upserted', 'product', t.id, t.version,
                 jsonb_build_object('sku', t.sku, 'name', t.name, 'slug', t.slug, 'priceCents', t.price_cents,
                                    'currency', t.currency, 'stock', t.stock, 'status', t.status,
                                    'categoryId', t.category_id)
            from taken t
          returning 1
        )
        select count(*) into v_count from events;
        if v_count <> cardinality(p_product_ids) then
          raise exception 'a product of the batch cannot give its units' using errcode = 'LP409';
        end if;

        return query
          update orders o
             set status = d.status, failure_reason = d.reason, updated_at = clock_timestamp()
            from unnest(p_order_ids, p_statuses, p_reasons) as d(id, status, reason)
           where o.id = any(p_order_ids) and o.id = d.id
          returning o.id, o.user_id, o.status, o.failure_reason, o.created_at, o.updated_at;
      end
      $fn$;`;

  override up(): void {
    this.addSql(Migration20261202020001.applyOrderDecisions);
  }

  override down(): void {
    this.addSql(`drop function if exists apply_order_decisions(uuid[], int[], uuid[], text[], text[]);`);
  }
}
