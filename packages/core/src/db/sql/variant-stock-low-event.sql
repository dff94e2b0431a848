-- lapak_variant_stock_low_event(): `stock.low` for a variant of a product with options, when the
-- variant's stock falls below the shop's `low_stock_threshold`: the same rule as a product's
-- (stock_fell_below), so "250 g, ground" running out is told even while the product's other
-- variants keep its total up. A product without options has one variant, whose stock is the
-- product's: its alert is the product's own (lapak_stock_low_event), so none is raised here.
--
-- The event's aggregate is the product at the variant's version (the product's version of the
-- change); the payload is the contract's `stockLowEventDataSchema` with the variant's id, sku and
-- option values.
create or replace function lapak_variant_stock_low_event() returns trigger language plpgsql as $fn$
declare
  v_threshold int;
  v_shop text;
  v_product products;
begin
  select s.low_stock_threshold, s.shop_name into v_threshold, v_shop from shop_settings s;
  if new.deleted_at is not null or not stock_fell_below(old.stock, new.stock, v_threshold) then
    return null;
  end if;
  select p.* into v_product from products p where p.id = new.product_id;
  if v_product.deleted_at is not null or jsonb_array_length(v_product.options) = 0 then
    return null;
  end if;
  insert into outbox_events (event_id, type, aggregate_type, aggregate_id, aggregate_version, payload)
  values (gen_random_uuid(), 'stock.low', 'product', new.product_id, new.version,
          jsonb_build_object(
            'productId', new.product_id, 'variantId', new.id, 'optionValues', new.option_values,
            'sku', new.sku, 'name', v_product.name, 'stock', new.stock,
            'threshold', v_threshold, 'shop', jsonb_build_object('name', v_shop)));
  return null;
end
$fn$;
