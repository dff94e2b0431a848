import { z } from 'zod';
import { idSchema } from './common';

/** Queue names, shared by producers (api, worker) and consumers (worker). */
export const queueNames = {
  orders: 'orders',
  outboxRelay: 'outbox-relay',
  catalogSync: 'catalog-sync',
} as const;

/** Job payloads carry ids, never entities or secrets. */
export const processOrderJobSchema = z.object({ orderId: idSchema });
export type ProcessOrderJob = z.infer<typeof processOrderJobSchema>;
