import type { Queue } from 'bullmq';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OrderQueryService, OutboxRelayService, type Logger, type Orm } from '@lapak/core';
import { scrapedGauges } from './read-at-scrape';

const jobStates = ['waiting', 'active', 'failed', 'delayed', 'completed'] as const;

/**
 * The worker's Prometheus registry: Node's default metrics, order outcomes and timings, and
 * gauges read at scrape time (queue depth and age, outbox backlog).
 */
export function createWorkerMetrics(options: { orm: Orm; queues: Queue[]; logger: Logger }) {
  const { orm, queues, logger } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const ordersProcessed = new Counter({
    name: 'lapak_orders_processed_total',
    help: 'Orders that reached a final status in the worker, by status and failure reason (none when confirmed)',
    labelNames: ['status', 'reason'] as const,
    registers: [registry],
  });
  const processingDuration = new Histogram({
    name: 'lapak_order_processing_duration_seconds',
    help: 'Time from a worker taking an order job to the job finishing',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const confirmLatency = new Histogram({
    name: 'lapak_order_confirm_latency_seconds',
    help: 'Time from an order being created to its final status, by the database clock',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });

  const batchSize = new Histogram({
    name: 'lapak_order_batch_size',
    help: 'Orders decided together in one transaction',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [registry],
  });
  const batchDuration = new Histogram({
    name: 'lapak_order_batch_duration_seconds',
    help: 'Time of one batch decision: its transaction and the status messages after it',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  const gauge = scrapedGauges(registry, logger);
  gauge(
    { name: 'lapak_queue_jobs', help: 'Jobs in each BullMQ queue by state', labelNames: ['queue', 'state'] },
    async (jobs) => {
      const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...jobStates)));
      queues.forEach((queue, index) => {
        for (const state of jobStates) jobs.set({ queue: queue.name, state }, counts[index]?.[state] ?? 0);
      });
    },
  );
  gauge(
    {
      name: 'lapak_queue_oldest_waiting_age_seconds',
      help: 'Age of the oldest job waiting in each queue (0 when none waits)',
      labelNames: ['queue'],
    },
    async (age) => {
      const oldest = await Promise.all(queues.map((queue) => queue.getJobs(['wait'], 0, 0, true)));
      queues.forEach((queue, index) => {
        const job = oldest[index]?.[0];
        age.set({ queue: queue.name }, job ? Math.max(0, (Date.now() - job.timestamp) / 1000) : 0);
      });
    },
  );

  gauge(
    {
      name: 'lapak_orders_open',
      help: 'Orders not yet decided (pending) or holding stock until paid (awaiting_payment), by status and payment method',
      labelNames: ['status', 'payment_method'],
    },
    async (open) => {
      const counts = await new OrderQueryService(orm.em.fork()).openCounts();
      open.reset();
      for (const status of ['pending', 'awaiting_payment'] as const) {
        open.set({ status, payment_method: status === 'awaiting_payment' ? 'bank_transfer' : 'none' }, 0);
      }
      for (const row of counts)
        open.set({ status: row.status, payment_method: row.paymentMethod }, row.count);
    },
  );
  gauge(
    {
      name: 'lapak_orders_last_day',
      help: 'Orders created in the last 24 hours, by their status now and payment method',
      labelNames: ['status', 'payment_method'],
    },
    async (lastDay) => {
      const counts = await new OrderQueryService(orm.em.fork()).recentCounts(24);
      lastDay.reset();
      for (const row of counts)
        lastDay.set({ status: row.status, payment_method: row.paymentMethod }, row.count);
    },
  );

  const backlog = async () => new OutboxRelayService(orm.em.fork()).backlog();
  gauge(
    { name: 'lapak_outbox_backlog', help: 'Catalog events committed to the outbox and not yet relayed' },
    async (events) => events.set((await backlog()).count),
  );
  gauge(
    {
      name: 'lapak_outbox_oldest_age_seconds',
      help: 'Age of the oldest unrelayed outbox event (0 when none)',
    },
    async (age) => age.set((await backlog()).oldestAgeSeconds),
  );

  return { registry, ordersProcessed, processingDuration, confirmLatency, batchSize, batchDuration };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
