import { formatMoney, type PaymentMethod, type PaymentStatus, type ShopSettings } from '@lapak/contracts';

/** A payment as stored: what is owed, by when, and how it stands. */
export interface PaymentRecord {
  method: PaymentMethod;
  status: PaymentStatus;
  reference: string;
  amountCents: number;
  currency: string;
  dueAt: Date | null;
  paidAt: Date | null;
}

/** The shop's details a provider's instructions name. */
export type Payee = Pick<ShopSettings, 'shopName' | 'bankName' | 'bankAccountNumber' | 'bankAccountHolder'>;

/**
 * A way to pay, behind one port. When the worker reserves an order's stock, the order becomes
 * `reserved.orderStatus` and its payment `reserved.paymentStatus` (apply_order_decisions writes
 * both in the decision's statement; payment-provider.int.test.ts holds the two to these values).
 * Money received is recorded by `PaymentService.confirm`, from an admin today; a payment not
 * confirmed by its `dueAt` expires (PaymentExpiryService). docs/payments.md says how a hosted
 * provider with signed notifications fits the same port.
 */
export interface PaymentProvider {
  readonly method: PaymentMethod;
  readonly reserved: {
    orderStatus: 'awaiting_payment' | 'confirmed';
    paymentStatus: Extract<PaymentStatus, 'pending' | 'due_on_delivery'>;
  };
  /** What the shopper does to pay, in plain words. */
  instructions(payment: PaymentRecord, payee: Payee): string;
}

/** An amount as the instructions write it: `IDR 150,000`, `USD 19.99` (plain spaces). */
export const formatAmount = (amountCents: number, currency: string): string =>
  formatMoney(amountCents, currency, 'en-US').replace(/\s/gu, ' ');

const formatDeadline = (date: Date): string =>
  new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(date) + ' UTC';

/** A transfer to the shop's bank account, quoting the payment's reference, before the deadline. */
export const bankTransfer: PaymentProvider = {
  method: 'bank_transfer',
  reserved: { orderStatus: 'awaiting_payment', paymentStatus: 'pending' },
  instructions: (payment, payee) =>
    `Transfer ${formatAmount(payment.amountCents, payment.currency)} to ${payee.bankName}, ` +
    `account ${payee.bankAccountNumber} (${payee.bankAccountHolder}), and write ${payment.reference} ` +
    `as the transfer's reference.` +
    (payment.dueAt
      ? ` Pay by ${formatDeadline(payment.dueAt)}: after that the order is cancelled and its items go back on sale.`
      : ''),
};

/** Cash to the courier at the door: the order is confirmed at once. */
export const cashOnDelivery: PaymentProvider = {
  method: 'cash_on_delivery',
  reserved: { orderStatus: 'confirmed', paymentStatus: 'due_on_delivery' },
  instructions: (payment, payee) =>
    `Pay ${formatAmount(payment.amountCents, payment.currency)} in cash to the courier when your ` +
    `parcel from ${payee.shopName} arrives.`,
};

/** Every payment method's provider. */
export const paymentProviders: Record<PaymentMethod, PaymentProvider> = {
  bank_transfer: bankTransfer,
  cash_on_delivery: cashOnDelivery,
};
