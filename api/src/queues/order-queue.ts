import type { Queue } from 'bullmq';
import { processOrderJobOptions } from '@lapak/contracts';
import type { OrderQueue } from '@lapak/core';

/**
 * How long checkout waits for Redis to take the job. BullMQ waits for a connection that is
 * down instead of failing, so the producer bounds it; the sweeper enqueues what timed out.
 */
export const ENQUEUE_TIMEOUT_MS = 1000;

/** The checkout's queue port on BullMQ: one `process-order` job per order, job id = order id. */
export function bullOrderQueue(queue: Queue, timeoutMs = ENQUEUE_TIMEOUT_MS): OrderQueue {
  return {
    async enqueue(job) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`enqueue timed out after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([queue.add('process-order', job, processOrderJobOptions(job.orderId)), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
