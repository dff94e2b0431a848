import { Migration } from '@mikro-orm/migrations';
import { sqlFunction } from '../sql/sql-functions';

/**
 * Order events name each line's variant and option values (`order_lines.variant_id`,
 * `option_values`), so a mail says which size or weight was ordered: `lapak_order_domain_event`
 * from its file again.
 */
export class Migration20261205100002 extends Migration {
  /** `lapak_order_domain_event` as it was before this migration. */
  static readonly orderDomainEvent = `
create or replace function lapak_order_domain_event() returns trigger language plpgsql as $fn$
begin
  if new.status not in ('awaiting_payment', 'confirmed', 'failed', 'cancelled') then
    return null;
  end if;
  insert into outbox_events (event_id, type, aggregate_type, aggregate_id, aggregate_version, payload)
  select gen_random_uuid(), 'order.' || new.status, 'order', o.id, 0,
         jsonb_build_object(
           'orderId', o.id,
           'status', new.status,
           'failureReason', new.failure_reason,
           'customer', jsonb_build_object('email', u.email, 'name', u.name),
           'lines', coalesce((
             select jsonb_agg(jsonb_build_object(
                      'productId', l.product_id, 'sku', l.sku, 'name', l.name, 'quantity', l.quantity,
                      'unitPriceCents', l.unit_price_cents,
                      'lineTotalCents', l.unit_price_cents::bigint * l.quantity) order by l.line_no)
               from order_lines l where l.order_id = o.id), '[]'::jsonb),
           'totalCents', o.total_cents,
           'currency', o.currency,
           'shippingAddress', o.shipping_address,
           'payment', (
             select jsonb_build_object(
                      'method', p.method, 'status', p.status, 'reference', p.reference,
                      'amountCents', p.amount_cents, 'currency', p.currency,
                      'dueAt', p.due_at, 'paidAt', p.paid_at)
               from payments p where p.order_id = o.id),
           'shop', (
             select jsonb_build_object(
                      'name', s.shop_name, 'bankName', s.bank_name,
                      'bankAccountNumber', s.bank_account_number, 'bankAccountHolder', s.bank_account_holder)
               from shop_settings s),
           'createdAt', o.created_at)
    from orders o join users u on u.id = o.user_id
   where o.id = new.id;
  return null;
end
$fn$;
`;

  override up(): void {
    this.addSql(sqlFunction('order-domain-event.sql'));
  }

  override down(): void {
    this.addSql(Migration20261205100002.orderDomainEvent);
  }
}
