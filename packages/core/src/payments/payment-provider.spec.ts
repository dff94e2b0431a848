import { describe, expect, it } from 'vitest';
import {
  bankTransfer,
  cashOnDelivery,
  formatAmount,
  type Payee,
  type PaymentRecord,
} from './payment-provider';

const payee: Payee = {
  shopName: 'Toko Batik',
  bankName: 'Bank Jaya',
  bankAccountNumber: '123-456-789',
  bankAccountHolder: 'PT Toko Batik',
};
const payment: PaymentRecord = {
  method: 'bank_transfer',
  status: 'pending',
  reference: 'LP-1A2B-3C4D-5E6F',
  amountCents: 15_000_000,
  currency: 'IDR',
  dueAt: new Date('2026-12-06T14:30:00Z'),
  paidAt: null,
};

describe('payment providers', () => {
  it('tell a bank transfer where to pay, what to quote and by when', () => {
    expect(bankTransfer.instructions(payment, payee)).toBe(
      'Transfer IDR 150,000 to Bank Jaya, account 123-456-789 (PT Toko Batik), and write ' +
        "LP-1A2B-3C4D-5E6F as the transfer's reference. Pay by 6 Dec 2026, 14:30 UTC: after that " +
        'the order is cancelled and its items go back on sale.',
    );
  });

  it('tell cash on delivery what to hand the courier', () => {
    expect(cashOnDelivery.instructions({ ...payment, method: 'cash_on_delivery', dueAt: null }, payee)).toBe(
      'Pay IDR 150,000 in cash to the courier when your parcel from Toko Batik arrives.',
    );
  });

  it('write amounts in the currency of the order', () => {
    expect(formatAmount(1999, 'USD')).toBe('$19.99');
    expect(formatAmount(1999, 'KWD')).toBe('KWD 1.999');
  });
});
