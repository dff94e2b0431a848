-- lapak_order_domain_event(): the trigger function that appends an order's domain event
-- (`order.awaiting_payment`, `order.confirmed`, `order.failed`, `order.cancelled`) to the outbox
-- whenever an order's status becomes one of those, whoever changes it (apply_order_decisions,
-- a payment, the expiry sweep, a cancellation, the pending-order sweeper). It runs from a
-- constraint trigger deferred to the commit, so the event is written in the transaction of the
-- status change and describes the order as that transaction leaves it: its lines (each with its
-- variant and option values), its payment (opened in the same statement as the status) and the
-- shopper's email. A status written and rolled back leaves no event; an order still pending has
-- none.
--
-- The event's aggregate is the order, with version 0: orders have no version, and domain events
-- are never superseded by a newer one (docs/automation.md). The payload is the contract's
-- `orderEventDataSchema` less the payment's instructions and the amounts in words, which the
-- dispatcher writes from the payment and the shop's bank details when it delivers the event
-- (domainEventOf, PaymentProvider.instructions).
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
                      'productId', l.product_id, 'variantId', l.variant_id, 'optionValues', l.option_values,
                      'sku', l.sku, 'name', l.name, 'quantity', l.quantity,
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
