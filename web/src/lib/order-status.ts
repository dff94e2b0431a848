import type { Order, OrderFailureReason, OrderStatusName } from '@lapak/contracts';
import { formatMoney } from './money';

/**
 * Statuses after which an order never changes (the status stream ends on them). A copy of the
 * contract's list, so that this page's bundle does not load the contract's schemas.
 */
export const finalStatuses: readonly OrderStatusName[] = ['confirmed', 'failed', 'cancelled'];
export const isFinal = (status: OrderStatusName): boolean => finalStatuses.includes(status);

/** What the words about an order read: its status, why it failed, and how it is paid. */
export type OrderState = Pick<Order, 'status' | 'failureReason' | 'payment'>;

const statusLabels: Record<OrderStatusName, string> = {
  pending: 'Processing',
  awaiting_payment: 'Awaiting payment',
  confirmed: 'Confirmed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * The order's status as the shopper reads it, in a word or two. A transfer that never came is
 * "Payment expired" rather than a bare "Failed": nothing went wrong but the deadline.
 */
export function statusLabel(order: OrderState): string {
  if (order.status === 'failed' && order.failureReason === 'payment_expired') return 'Payment expired';
  return statusLabels[order.status] ?? order.status;
}

/** How the shopper pays, when it matters after checkout; null when there is nothing to add. */
export function paymentNote(order: OrderState): string | null {
  const payment = order.payment;
  if (!payment) return null;
  if (payment.status === 'due_on_delivery') return 'Cash on delivery';
  if (payment.status === 'paid') return 'Paid';
  if (payment.status === 'refunded') return 'Refunded';
  if (order.status === 'awaiting_payment' && payment.dueAt) return `Pay by ${formatDeadline(payment.dueAt)}`;
  return null;
}

/** A deadline in the shopper's own time zone and locale. */
export function formatDeadline(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** One sentence under the status: what happened and what it means for the shopper. */
export function statusExplanation(order: OrderState): string {
  const payment = order.payment;
  const amount = payment ? formatMoney(payment.amountCents, payment.currency) : null;
  switch (order.status) {
    case 'pending':
      return 'We are reserving your items. This usually takes a moment.';
    case 'awaiting_payment':
      return payment?.dueAt
        ? `Your items are reserved until ${formatDeadline(payment.dueAt)}. Pay ${amount} by then to confirm the order.`
        : 'Your items are reserved. Pay for them to confirm the order.';
    case 'confirmed':
      if (payment?.status === 'due_on_delivery')
        return `Your order is confirmed. Please pay ${amount} in cash to the courier when it arrives.`;
      if (payment?.status === 'paid') return 'We received your payment. Your order is confirmed.';
      return 'Your items are reserved and your order is confirmed.';
    case 'cancelled':
      return payment?.status === 'refunded'
        ? 'This order was cancelled; nothing will be sent and your payment will be refunded.'
        : 'This order was cancelled; nothing will be sent.';
    case 'failed':
      return failureReasonText(order.failureReason);
  }
}

const reasons: Record<OrderFailureReason, string> = {
  out_of_stock: 'Some items sold out before we could reserve them, so nothing was ordered.',
  product_unavailable: 'A product in this order is no longer for sale, so nothing was ordered.',
  payment_expired:
    'We did not receive your payment before the deadline, so the items went back on sale and nothing will be sent.',
  processing_failed: 'We could not process this order, so nothing was ordered. Please try again.',
  timed_out: 'This order could not be processed in time, so nothing was ordered. Please try again.',
};

/** Why an order failed, in plain words. */
export function failureReasonText(reason: OrderFailureReason | null): string {
  return (reason && reasons[reason]) || 'This order could not be completed, so nothing was ordered.';
}

/** Labels for the ways to pay, as the checkout and the order page name them. */
export const paymentMethodLabels = {
  bank_transfer: 'Bank transfer',
  cash_on_delivery: 'Cash on delivery',
} as const satisfies Record<NonNullable<Order['payment']>['method'], string>;
