import { z } from 'zod';
import { text } from './common';

/** The shop's settings an admin changes at run time (`GET` and `PATCH /settings`). */
export const shopSettingsSchema = z
  .object({
    shopName: z.string(),
    /** How long a bank transfer may stay unpaid before the order fails and its stock returns. */
    paymentTtlSeconds: z.number().int(),
    bankName: z.string(),
    bankAccountNumber: z.string(),
    bankAccountHolder: z.string(),
    /** Orders one shopper may have open (pending or awaiting payment) at once. */
    maxOpenOrdersPerUser: z.number().int(),
    /** Units of one product an order may ask for. */
    maxUnitsPerLine: z.number().int(),
    /** A product whose stock falls from this or more to below it raises `stock.low` (0: never). */
    lowStockThreshold: z.number().int(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ShopSettings' });

/** Bounds of the payment window: long enough to make a transfer in a test, at most 30 days. */
export const paymentTtlBounds = { min: 10, max: 30 * 24 * 60 * 60 } as const;

/** The highest low-stock threshold an admin may set. */
export const lowStockThresholdMax = 1_000_000;

export const shopSettingsPatchSchema = z
  .strictObject({
    shopName: text(100).optional(),
    paymentTtlSeconds: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(paymentTtlBounds.min, `must be at least ${paymentTtlBounds.min}`)
      .max(paymentTtlBounds.max, `must be at most ${paymentTtlBounds.max} (30 days)`)
      .optional(),
    bankName: text(100).optional(),
    bankAccountNumber: text(40).optional(),
    bankAccountHolder: text(100).optional(),
    maxOpenOrdersPerUser: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1000, 'must be at most 1000')
      .optional(),
    maxUnitsPerLine: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1000, 'must be at most 1000 (the most a line may ask for)')
      .optional(),
    lowStockThreshold: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must not be negative (0 turns the alert off)')
      .max(lowStockThresholdMax, `must be at most ${lowStockThresholdMax}`)
      .optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one setting')
  .meta({ id: 'ShopSettingsPatch' });

export type ShopSettings = z.infer<typeof shopSettingsSchema>;
export type ShopSettingsPatch = z.infer<typeof shopSettingsPatchSchema>;
