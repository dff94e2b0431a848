import type { OrderFailureReason, OrderStatusName } from '@lapak/contracts';

export const finalStatuses: readonly OrderStatusName[] = ['confirmed', 'failed', 'cancelled'];
export const isFinal = (status: OrderStatusName): boolean => finalStatuses.includes(status);

const statusLabels: Record<OrderStatusName, string> = {
  pending: 'Processing',
  confirmed: 'Confirmed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The order's status as the shopper reads it. */
export const statusLabel = (status: OrderStatusName): string => statusLabels[status] ?? status;

/** One sentence under the status: what happened and what it means for the shopper. */
export function statusExplanation(status: OrderStatusName, reason: OrderFailureReason | null): string {
  switch (status) {
    case 'pending':
      return 'We are reserving your items. This usually takes a moment.';
    case 'confirmed':
      return 'Your items are reserved and your order is confirmed.';
    case 'cancelled':
      return 'This order was cancelled; nothing will be sent.';
    case 'failed':
      return failureReasonText(reason);
  }
}

const reasons: Record<OrderFailureReason, string> = {
  out_of_stock: 'Some items sold out before we could reserve them, so nothing was ordered.',
  product_unavailable: 'A product in this order is no longer for sale, so nothing was ordered.',
  processing_failed: 'We could not process this order, so nothing was ordered. Please try again.',
  timed_out: 'This order could not be processed in time, so nothing was ordered. Please try again.',
};

/** Why an order failed, in plain words. */
export function failureReasonText(reason: OrderFailureReason | null): string {
  return (reason && reasons[reason]) || 'This order could not be completed, so nothing was ordered.';
}
