import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { lowStockThresholdMax, paymentTtlBounds } from '@lapak/contracts';

/** The shop's settings that an admin changes at run time: one row (its key is always true). */
export const ShopSettings = defineEntity({
  name: 'ShopSettings',
  tableName: 'shop_settings',
  properties: {
    id: p.boolean().primary().default(true),
    shopName: p.text().default('Lapak'),
    paymentTtlSeconds: p.integer().default(24 * 60 * 60),
    bankName: p.text().default('Bank Lapak (demo)'),
    bankAccountNumber: p.text().default('000-000-0000'),
    bankAccountHolder: p.text().default('Lapak'),
    maxOpenOrdersPerUser: p.integer().default(5),
    maxUnitsPerLine: p.integer().default(20),
    lowStockThreshold: p.integer().default(5),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
  checks: [
    { name: 'shop_settings_id_check', expression: 'id' },
    {
      name: 'shop_settings_payment_ttl_seconds_check',
      expression: `payment_ttl_seconds >= ${paymentTtlBounds.min} and payment_ttl_seconds <= ${paymentTtlBounds.max}`,
    },
    {
      name: 'shop_settings_max_open_orders_per_user_check',
      expression: 'max_open_orders_per_user >= 1 and max_open_orders_per_user <= 1000',
    },
    {
      name: 'shop_settings_max_units_per_line_check',
      expression: 'max_units_per_line >= 1 and max_units_per_line <= 1000',
    },
    {
      name: 'shop_settings_low_stock_threshold_check',
      expression: `low_stock_threshold >= 0 and low_stock_threshold <= ${lowStockThresholdMax}`,
    },
  ],
});

export type ShopSettings = InferEntity<typeof ShopSettings>;
