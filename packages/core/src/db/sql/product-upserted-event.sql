-- product_upserted_event(p): the `product.upserted` catalog event of a product row, as it goes
-- into outbox_events (all but the event's own id). The one definition of that event: the order
-- decisions' statement (apply_order_decisions) and every TypeScript writer
-- (OutboxRepository.appendProductsUpserted) insert what this returns for the row they changed,
-- so a field added to the event is added here and nowhere else.
--
-- The payload is the product's API-owned fields (the `data` of a catalog event, docs/sync.md)
-- with its options and live variants in their order: the data of schema version 2, which the
-- dispatcher trims for a flow of schema version 1. The aggregate version is the row's, which
-- the change that calls this has just bumped. The variants are read as the calling statement
-- sees them: a change to variants is made by an earlier statement of its transaction.
-- Plain SQL, so PostgreSQL inlines it into the calling statement.
create or replace function product_upserted_event(p products) returns table (
  type text, aggregate_type text, aggregate_id uuid, aggregate_version int, payload jsonb
) language sql stable as $fn$
  select 'product.upserted', 'product', p.id, p.version,
         jsonb_build_object('sku', p.sku, 'name', p.name, 'slug', p.slug, 'priceCents', p.price_cents,
                            'currency', p.currency, 'stock', p.stock, 'status', p.status,
                            'categoryId', p.category_id, 'options', p.options,
                            'variants', (select coalesce(jsonb_agg(jsonb_build_object(
                                                 'id', v.id, 'sku', v.sku, 'optionValues', v.option_values,
                                                 'priceCents', v.price_cents, 'stock', v.stock,
                                                 'version', v.version, 'sort', v.sort)
                                               order by v.sort, v.id), '[]')
                                           from product_variants v
                                          where v.product_id = p.id and v.deleted_at is null))
$fn$;
