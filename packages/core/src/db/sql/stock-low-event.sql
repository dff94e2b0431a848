-- lapak_stock_low_event(): the trigger function that appends `stock.low` to the outbox when a
-- product's stock falls below the shop's `low_stock_threshold`, in the statement that lowers it,
-- whoever lowers it (an order's reservation, an admin's edit). It fires on the crossing only
-- (stock_fell_below): from the threshold or more to below it, so a product selling its last few
-- units raises one alert, not one per sale; it rises again above the threshold with a restock and
-- can then fall again. A threshold of 0 turns the alerts off. Deleted products raise none.
--
-- The event's aggregate is the product at the version the change gave it; the payload is the
-- contract's `stockLowEventDataSchema`.
create or replace function lapak_stock_low_event() returns trigger language plpgsql as $fn$
declare
  v_threshold int;
  v_shop text;
begin
  select s.low_stock_threshold, s.shop_name into v_threshold, v_shop from shop_settings s;
  if new.deleted_at is not null or not stock_fell_below(old.stock, new.stock, v_threshold) then
    return null;
  end if;
  insert into outbox_events (event_id, type, aggregate_type, aggregate_id, aggregate_version, payload)
  values (gen_random_uuid(), 'stock.low', 'product', new.id, new.version,
          jsonb_build_object(
            'productId', new.id, 'sku', new.sku, 'name', new.name, 'stock', new.stock,
            'threshold', v_threshold, 'shop', jsonb_build_object('name', v_shop)));
  return null;
end
$fn$;
