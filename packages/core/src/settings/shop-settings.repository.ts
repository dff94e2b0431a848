import type { EntityManager } from '@mikro-orm/postgresql';
import type { ShopSettings as ShopSettingsDto, ShopSettingsPatch } from '@lapak/contracts';
import { db } from '../db/database';

const columns = [
  'shop_name as shopName',
  'payment_ttl_seconds as paymentTtlSeconds',
  'bank_name as bankName',
  'bank_account_number as bankAccountNumber',
  'bank_account_holder as bankAccountHolder',
  'max_open_orders_per_user as maxOpenOrdersPerUser',
  'max_units_per_line as maxUnitsPerLine',
  'low_stock_threshold as lowStockThreshold',
  'updated_at as updatedAt',
] as const;

/** The one `shop_settings` row (the migration inserts it; nothing deletes it). */
export class ShopSettingsRepository {
  constructor(private readonly em: EntityManager) {}

  async get(): Promise<ShopSettingsDto> {
    const row = await db(this.em).selectFrom('shop_settings').select(columns).executeTakeFirstOrThrow();
    return { ...row, updatedAt: row.updatedAt.toISOString() };
  }

  async update(patch: ShopSettingsPatch): Promise<ShopSettingsDto> {
    const row = await db(this.em)
      .updateTable('shop_settings')
      .set((eb) => ({
        shop_name: patch.shopName ?? eb.ref('shop_name'),
        payment_ttl_seconds: patch.paymentTtlSeconds ?? eb.ref('payment_ttl_seconds'),
        bank_name: patch.bankName ?? eb.ref('bank_name'),
        bank_account_number: patch.bankAccountNumber ?? eb.ref('bank_account_number'),
        bank_account_holder: patch.bankAccountHolder ?? eb.ref('bank_account_holder'),
        max_open_orders_per_user: patch.maxOpenOrdersPerUser ?? eb.ref('max_open_orders_per_user'),
        max_units_per_line: patch.maxUnitsPerLine ?? eb.ref('max_units_per_line'),
        low_stock_threshold: patch.lowStockThreshold ?? eb.ref('low_stock_threshold'),
        updated_at: new Date(),
      }))
      .returning(columns)
      .executeTakeFirstOrThrow();
    return { ...row, updatedAt: row.updatedAt.toISOString() };
  }
}
