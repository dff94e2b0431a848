import { z } from 'zod';
import { idSchema } from './common';

/** Queue names, shared by producers (api, worker) and consumers (worker). */
export const queueNames = {
  orders: 'orders',
  outboxRelay: 'outbox-relay',
  catalogSync: 'catalog-sync',
  automation: 'automation',
} as const;

/**
 * Job payloads carry ids, never entities or secrets. `requestId` ties the worker's log lines to
 * the checkout request that enqueued the order.
 */
export const processOrderJobSchema = z.object({
  orderId: idSchema,
  requestId: z.string().max(128).optional(),
});
export type ProcessOrderJob = z.infer<typeof processOrderJobSchema>;

/**
 * BullMQ options of a process-order job, for every producer (checkout and the pending-order
 * sweeper): the order id is the job id, so an order is in the queue at most once.
 */
export const processOrderJobOptions = (orderId: string) => ({
  jobId: orderId,
  attempts: 5,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
});
