import type { Selectable } from 'kysely';
import type { Database } from '../database';

/**
 * What `product_upserted_event(products)` returns (db/sql/product-upserted-event.sql): an
 * `outbox_events` row but for the event's own id, typed from the entity it is inserted into.
 */
export type ProductUpsertedEventRow = Pick<
  Selectable<Database['outbox_events']>,
  'type' | 'aggregate_type' | 'aggregate_id' | 'aggregate_version' | 'payload'
>;

/**
 * What `apply_order_decisions(...)` returns (db/sql/apply-order-decisions.sql): each changed
 * order's row as `orders` types it.
 */
export type ApplyOrderDecisionsRow = Pick<
  Selectable<Database['orders']>,
  'id' | 'user_id' | 'status' | 'failure_reason' | 'created_at' | 'updated_at'
>;

type OrderRow = Selectable<Database['orders']>;

/**
 * What `checkout_orders(jsonb)` returns (db/sql/checkout-orders.sql), one row per checkout:
 * `ok` false for a bad line; the order's columns null when its key was already used; `items`
 * the order's lines as JSON, in the API's camelCase shape.
 */
export interface CheckoutOrdersRow {
  i: number;
  ok: boolean;
  total: OrderRow['total_cents'] | null;
  currency: OrderRow['currency'] | null;
  created_at: OrderRow['created_at'] | null;
  updated_at: OrderRow['updated_at'] | null;
  items: CheckoutOrderItem[] | null;
}

/** A line in `checkout_orders`' `items`: an `order_lines` row's columns under the API's names. */
export interface CheckoutOrderItem {
  productId: Selectable<Database['order_lines']>['product_id'];
  variantId: Selectable<Database['order_lines']>['variant_id'];
  optionValues: Selectable<Database['order_lines']>['option_values'];
  sku: Selectable<Database['order_lines']>['sku'];
  name: Selectable<Database['order_lines']>['name'];
  unitPriceCents: Selectable<Database['order_lines']>['unit_price_cents'];
  quantity: Selectable<Database['order_lines']>['quantity'];
}
