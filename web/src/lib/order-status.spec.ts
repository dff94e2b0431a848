import type { OrderFailureReason } from '@lapak/contracts';
import { describe, expect, it } from 'vitest';
import { awaitingPayment, makeOrder } from '../testing/factories';
import {
  failureReasonText,
  formatDeadline,
  isFinal,
  paymentNote,
  statusExplanation,
  statusLabel,
  type OrderState,
} from './order-status';

const dueAt = '2026-11-23T10:00:00.000Z';
const awaiting = awaitingPayment(makeOrder(), dueAt);
const cashOnDelivery: OrderState = {
  status: 'confirmed',
  failureReason: null,
  payment: { ...awaiting.payment!, method: 'cash_on_delivery', status: 'due_on_delivery', dueAt: null },
};
const paid: OrderState = {
  status: 'confirmed',
  failureReason: null,
  payment: { ...awaiting.payment!, status: 'paid', paidAt: '2026-11-22T12:00:00.000Z' },
};
const expired: OrderState = {
  status: 'failed',
  failureReason: 'payment_expired',
  payment: { ...awaiting.payment!, status: 'expired' },
};
const state = (
  status: OrderState['status'],
  failureReason: OrderFailureReason | null = null,
): OrderState => ({
  status,
  failureReason,
  payment: null,
});

describe('order status words', () => {
  it('labels every status, an unpaid transfer past its deadline as expired rather than failed', () => {
    expect(
      (['pending', 'awaiting_payment', 'confirmed', 'failed', 'cancelled'] as const).map((s) =>
        statusLabel(state(s)),
      ),
    ).toEqual(['Processing', 'Awaiting payment', 'Confirmed', 'Failed', 'Cancelled']);
    expect(statusLabel(expired)).toBe('Payment expired');
    expect(statusLabel(cashOnDelivery)).toBe('Confirmed');
  });

  it('tells a shopper awaiting payment what to pay and by when', () => {
    expect(statusExplanation(awaiting)).toBe(
      `Your items are reserved until ${formatDeadline(dueAt)}. Pay €37.00 by then to confirm the order.`,
    );
    expect(statusExplanation({ ...awaiting, payment: null })).toBe(
      'Your items are reserved. Pay for them to confirm the order.',
    );
  });

  it('tells cash on delivery, a paid transfer and an order without payment apart once confirmed', () => {
    expect(statusExplanation(cashOnDelivery)).toBe(
      'Your order is confirmed. Please pay €37.00 in cash to the courier when it arrives.',
    );
    expect(statusExplanation(paid)).toBe('We received your payment. Your order is confirmed.');
    expect(statusExplanation(state('confirmed'))).toBe(
      'Your items are reserved and your order is confirmed.',
    );
  });

  it('says a cancelled paid order is refunded', () => {
    expect(statusExplanation(state('cancelled'))).toBe('This order was cancelled; nothing will be sent.');
    expect(
      statusExplanation({
        status: 'cancelled',
        failureReason: null,
        payment: { ...paid.payment!, status: 'refunded' },
      }),
    ).toMatch(/will be refunded/);
  });

  it('explains each failure reason in plain words, never the code', () => {
    for (const reason of ['out_of_stock', 'product_unavailable', 'processing_failed', 'timed_out'] as const) {
      const text = failureReasonText(reason);
      expect(text).not.toContain('_');
      expect(text).toMatch(/nothing was ordered/);
    }
    expect(failureReasonText('out_of_stock')).toMatch(/sold out/);
    expect(failureReasonText(null)).toMatch(/could not be completed/);
    expect(statusExplanation(state('failed', 'product_unavailable'))).toMatch(/no longer for sale/);
    expect(statusExplanation(expired)).toBe(
      'We did not receive your payment before the deadline, so the items went back on sale and nothing will be sent.',
    );
  });

  it('notes how an order is paid where a list of orders needs it', () => {
    expect(paymentNote(awaiting)).toBe(`Pay by ${formatDeadline(dueAt)}`);
    expect(paymentNote(cashOnDelivery)).toBe('Cash on delivery');
    expect(paymentNote(paid)).toBe('Paid');
    expect(paymentNote(state('pending'))).toBeNull();
    expect(paymentNote(expired)).toBeNull();
  });

  it('knows which statuses are final: awaiting payment is not', () => {
    expect(isFinal('pending')).toBe(false);
    expect(isFinal('awaiting_payment')).toBe(false);
    expect(isFinal('confirmed') && isFinal('failed') && isFinal('cancelled')).toBe(true);
  });
});
