import type { DomainEvent, OrderEventData, StockLowEvent } from '@lapak/contracts';
import type { OutboxRow } from '../outbox/outbox.repository';
import { formatAmount, paymentProviders, type PaymentRecord } from '../payments/payment-provider';

/** The order payload as the trigger stores it (db/sql/order-domain-event.sql). */
type StoredOrderData = Omit<OrderEventData, 'payment' | 'shop' | 'lines' | 'totalText'> & {
  lines: Omit<OrderEventData['lines'][number], 'lineTotalText'>[];
  payment: Omit<NonNullable<OrderEventData['payment']>, 'instructions'> | null;
  shop: { name: string; bankName: string; bankAccountNumber: string; bankAccountHolder: string };
};

/**
 * The domain event an outbox row carries, in the contract's wire format (domain-events.ts in
 * @lapak/contracts). An order event's payment gets its instructions here, in the words of its
 * payment provider, from the payment and the shop's bank details stored with the event, and its
 * amounts are written as the shop writes them: the mail says what the order page says, as it
 * stood when the status changed.
 */
export function domainEventOf(row: OutboxRow): DomainEvent {
  const envelope = { id: row.event_id, schemaVersion: 1 as const, occurredAt: row.occurred_at.toISOString() };
  if (row.type === 'stock.low') {
    return {
      ...envelope,
      type: 'stock.low',
      aggregate: { type: 'product', id: row.aggregate_id, version: row.aggregate_version },
      data: row.payload as StockLowEvent['data'],
    };
  }
  const stored = row.payload as unknown as StoredOrderData;
  const payment = stored.payment && {
    ...stored.payment,
    instructions: paymentProviders[stored.payment.method].instructions(toPaymentRecord(stored.payment), {
      shopName: stored.shop.name,
      bankName: stored.shop.bankName,
      bankAccountNumber: stored.shop.bankAccountNumber,
      bankAccountHolder: stored.shop.bankAccountHolder,
    }),
  };
  return {
    ...envelope,
    type: row.type as Exclude<DomainEvent['type'], 'stock.low'>,
    aggregate: { type: 'order', id: row.aggregate_id },
    data: {
      ...stored,
      lines: stored.lines.map((line) => ({
        ...line,
        lineTotalText: formatAmount(line.lineTotalCents, stored.currency),
      })),
      totalText: formatAmount(stored.totalCents, stored.currency),
      payment,
      shop: { name: stored.shop.name },
    },
  };
}

function toPaymentRecord(payment: NonNullable<StoredOrderData['payment']>): PaymentRecord {
  return {
    ...payment,
    dueAt: payment.dueAt ? new Date(payment.dueAt) : null,
    paidAt: payment.paidAt ? new Date(payment.paidAt) : null,
  };
}
