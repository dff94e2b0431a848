import { z } from 'zod';
import { text } from './common';

/** How a shopper pays: a bank transfer before the deadline, or cash when the parcel arrives. */
export const paymentMethods = ['bank_transfer', 'cash_on_delivery'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/**
 * A payment's state. `pending`: waiting for the shopper's transfer until `dueAt`; `paid`;
 * `due_on_delivery`: cash on delivery, collected at the door; `expired`: no longer payable (the
 * deadline passed or the order was cancelled before it was paid); `refunded`: a paid order was
 * cancelled, and the money goes back.
 */
export const paymentStatuses = ['pending', 'paid', 'due_on_delivery', 'expired', 'refunded'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export const paymentSchema = z
  .object({
    method: z.enum(paymentMethods),
    status: z.enum(paymentStatuses),
    reference: z.string().meta({ description: 'Quoted by the shopper with the transfer.' }),
    amountCents: z.number().int(),
    currency: z.string(),
    dueAt: z.iso.datetime().nullable().meta({ description: 'Pay by then, or the order fails.' }),
    paidAt: z.iso.datetime().nullable(),
    instructions: z.string().meta({ description: 'What the shopper does to pay, in plain words.' }),
  })
  .meta({ id: 'Payment' });

/** `POST /orders/:id/payment/confirm`: an admin records the money received. */
export const paymentConfirmSchema = z
  .strictObject({
    amountCents: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must not be negative'),
    reference: text(40).optional().meta({ description: "If given, must be the payment's reference." }),
  })
  .meta({ id: 'PaymentConfirm' });

export type Payment = z.infer<typeof paymentSchema>;
export type PaymentConfirm = z.infer<typeof paymentConfirmSchema>;
