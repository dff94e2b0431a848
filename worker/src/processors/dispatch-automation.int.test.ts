import { describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { Registry } from 'prom-client';
import { sql } from 'kysely';
import type { AutomationJob, CatalogSyncJob } from '@lapak/contracts';
import { OrderProcessingService, SyncAdminService, createLogger } from '@lapak/core';
import {
  makeOrder,
  makeProduct,
  makeUser,
  OutboxRepository,
  storedDeadLetters,
  storedDeliveries,
  useTestEnv,
} from '@lapak/core/testing';
import { registerSyncMetrics } from '../metrics/sync-metrics';
import { useDispatchHarness } from '../testing/dispatch-harness';
import { isSignedWith } from '../testing/stub-flow';
import { dispatchAutomationJob, type AutomationDispatchDeps } from './dispatch-automation.processor';
import { relayOutbox } from './relay-outbox.processor';

const env = useTestEnv();
const harness = useDispatchHarness(env);

function setup(overrides: Partial<AutomationDispatchDeps['config']> = {}) {
  const queues = { catalogSync: harness.queue('catalog-sync'), automation: harness.queue('automation') };
  const deps: AutomationDispatchDeps = {
    config: { ...env.config, N8N_URL: harness.flow.url, SYNC_RETRY_BASE_MS: 50, ...overrides },
    orm: env.orm,
    logger: createLogger({ level: 'silent', name: 'test' }),
    queue: queues.automation,
  };
  return { queues, deps };
}

/** An order of a product left with 2 units (under the default threshold of 5), decided now. */
async function confirmedOrder() {
  const em = env.orm.em.fork();
  const user = await makeUser(em);
  const product = await makeProduct(em, { stock: 6, status: 'published' });
  const order = await makeOrder(em, {
    user,
    paymentMethod: 'cash_on_delivery',
    lines: [{ product, quantity: 4 }],
  });
  await new OrderProcessingService(env.orm.em.fork()).decide([order.id]);
  return { order, product };
}

const jobsOf = async <T>(q: Queue) => (await q.getJobs(['waiting', 'delayed'])).map((job) => job.data as T);

describe('relay and automation dispatcher', () => {
  it('relays catalog events to the catalog sync and each domain event to its flow, in the same pass', async () => {
    const { order } = await confirmedOrder();
    const { queues } = setup();

    expect(await relayOutbox(env.orm, queues)).toBe(3);

    const [catalog] = await jobsOf<CatalogSyncJob>(queues.catalogSync);
    expect(catalog?.seqs).toHaveLength(1);
    const automation = await jobsOf<AutomationJob>(queues.automation);
    expect(automation.map((job) => [job.flow, job.seqs.length]).sort()).toEqual([
      ['order-notifications-v1', 1],
      ['stock-alerts-v1', 1],
    ]);
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from outbox_events where relayed_at is null`.execute(env.db());
    expect(Number(rows[0]!.n)).toBe(0);
    expect(order.id).toBeDefined();
  });

  it('loses nothing when the relay dies between queueing and marking: the same events go again', async () => {
    await confirmedOrder();
    const outbox = new OutboxRepository(env.orm.em.fork());
    const first: number[] = [];
    await expect(
      outbox.relayBatch(10, async (events) => {
        first.push(...events.map((e) => e.seq));
        throw new Error('the relay died after queueing');
      }),
    ).rejects.toThrow('the relay died');

    const { queues } = setup();
    expect(await relayOutbox(env.orm, queues)).toBe(first.length);
    const relayed = [
      ...(await jobsOf<CatalogSyncJob>(queues.catalogSync)).flatMap((job) => job.seqs),
      ...(await jobsOf<AutomationJob>(queues.automation)).flatMap((job) => job.seqs),
    ];
    expect(relayed.sort()).toEqual([...first].sort());
  });

  it('posts a signed batch to the flow, logs each event under the flow, and fills in the payment words', async () => {
    const { order } = await confirmedOrder();
    const { queues, deps } = setup();
    await relayOutbox(env.orm, queues);
    const job = (await jobsOf<AutomationJob>(queues.automation)).find(
      (j) => j.flow === 'order-notifications-v1',
    )!;

    const registry = new Registry();
    const metrics = registerSyncMetrics(registry, { orm: env.orm, logger: deps.logger });
    const summary = await dispatchAutomationJob({ ...deps, metrics }, job);

    expect(summary).toMatchObject({ sent: 1, applied: 1, failed: 0, retried: 0 });
    const [request] = harness.flow.requests;
    expect(request!.path).toBe('/webhook/order-notifications-v1');
    expect(isSignedWith(env.config.WEBHOOK_SECRET, request!)).toBe(true);
    const [event] = request!.events as unknown as { type: string; data: Record<string, any> }[];
    expect(event).toMatchObject({
      type: 'order.confirmed',
      data: { orderId: order.id, status: 'confirmed' },
    });
    expect(event!.data.payment.instructions).toMatch(/in cash to the courier/);
    expect(await registry.getSingleMetricAsString('lapak_sync_deliveries_total')).toContain(
      'lapak_sync_deliveries_total{flow_version="order-notifications-v1",result="applied"} 1',
    );
    const log = await storedDeliveries(env, { limit: 10 });
    expect(log[0]).toMatchObject({
      flowVersion: 'order-notifications-v1',
      status: 'applied',
      aggregate: { type: 'order', id: order.id, version: 0 },
    });
    // The sync health's "last applied in Directus" is the catalog flow's alone.
    expect((await new SyncAdminService(env.orm.em.fork()).stats()).lastSuccessAt).toBeNull();
  });

  it('retries events the flow failed, and dead-letters them after the last attempt', async () => {
    await confirmedOrder();
    const { queues, deps } = setup({ SYNC_MAX_ATTEMPTS: 2 });
    await relayOutbox(env.orm, queues);
    const job = (await jobsOf<AutomationJob>(queues.automation)).find((j) => j.flow === 'stock-alerts-v1')!;
    await queues.automation.drain(true);
    harness.flow.answer = () => ({ status: 500, body: 'smtp down' });

    expect(await dispatchAutomationJob(deps, job)).toMatchObject({ failed: 1, retried: 1 });
    const [retry] = await jobsOf<AutomationJob>(queues.automation);
    expect(retry).toMatchObject({ flow: 'stock-alerts-v1', seqs: job.seqs, attempt: 2 });

    expect(await dispatchAutomationJob(deps, retry!)).toMatchObject({ deadLettered: 1 });
    const [dead] = await storedDeadLetters(env);
    expect(dead).toMatchObject({ type: 'stock.low', flowVersion: 'stock-alerts-v1', attempts: 2 });
  });
});
