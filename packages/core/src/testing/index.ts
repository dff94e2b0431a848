export * from './test-env';
export * from './test-database';
export * from '../config/services-check';
export * from './factories';
export * from './product-fields';
export * from './eventually';
// Repositories, for tests that set up or inspect rows directly (production code uses services).
export * from '../outbox/outbox.repository';
export * from '../catalog/category.repository';
export * from '../catalog/product.repository';
export * from '../orders/order.repository';
export * from '../orders/stock.repository';
export * from '../orders/order-processing.repository';
export * from '../auth/user.repository';
export * from '../sync/sync-outbox.repository';
export * from '../sync/sync-delivery.repository';
export * from '../sync/sync-dead-letter.repository';
export * from '../sync/catalog-sync.repository';
