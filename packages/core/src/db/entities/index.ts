import { Category } from './category.entity';
import { Product, ProductVariant } from './product.entity';
import { User } from './user.entity';
import { IdempotencyKey, Order, OrderLine, Payment } from './order.entity';
import { ShopSettings } from './shop-settings.entity';
import { RefreshToken } from './refresh-token.entity';
import { OutboxEvent } from './outbox-event.entity';
import { SyncDeadLetter } from './sync-dead-letter.entity';
import { SyncDelivery } from './sync-delivery.entity';
import { SchemaFunctionHistory } from './schema-function-history.entity';

export * from './category.entity';
export * from './product.entity';
export * from './user.entity';
export * from './order.entity';
export * from './shop-settings.entity';
export * from './refresh-token.entity';
export * from './outbox-event.entity';
export * from './sync-dead-letter.entity';
export * from './sync-delivery.entity';
export * from './schema-function-history.entity';

/**
 * Every table the migrations create, each described once: columns, defaults, keys, indexes and
 * checks, under the names the migrations gave them (schema.int.test.ts holds the two together).
 * A foreign key is a `foreignKey(...)` (foreign-key.ts): the property stays the id, the relation
 * adds the constraint. Queries go through `db(em)` (db/database.ts), typed from these.
 */
export const entities = [
  Category,
  Product,
  ProductVariant,
  User,
  RefreshToken,
  Order,
  OrderLine,
  IdempotencyKey,
  Payment,
  ShopSettings,
  OutboxEvent,
  SyncDelivery,
  SyncDeadLetter,
  SchemaFunctionHistory,
] as const;
