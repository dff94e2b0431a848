import { describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { Registry } from 'prom-client';
import { sql } from 'kysely';
import type { CatalogSyncJob } from '@lapak/contracts';
import { ProductService, createLogger } from '@lapak/core';
import { optionProductBody, storedDeadLetters, storedDeliveries, useTestEnv } from '@lapak/core/testing';
import { registerSyncMetrics } from '../metrics/sync-metrics';
import { useDispatchHarness } from '../testing/dispatch-harness';
import { isSignedWith } from '../testing/stub-flow';
import { dispatchCatalogJob, type DispatchDeps } from './dispatch-catalog.processor';
import { relayOutbox } from './relay-outbox.processor';

const env = useTestEnv();
const harness = useDispatchHarness(env);

function setup(overrides: Partial<DispatchDeps['config']> = {}) {
  const queue = harness.queue('catalog-sync');
  const registry = new Registry();
  const deps: DispatchDeps = {
    config: { ...env.config, N8N_URL: harness.flow.url, SYNC_RETRY_BASE_MS: 50, ...overrides },
    orm: env.orm,
    logger: createLogger({ level: 'silent', name: 'test' }),
    metrics: registerSyncMetrics(registry, {
      orm: env.orm,
      logger: createLogger({ level: 'silent', name: 'test' }),
    }),
    queue,
  };
  return { queue, deps, registry };
}

/** Creates a product and changes its price `changes` times; every change is an outbox event. */
async function productWithChanges(changes: number) {
  const service = new ProductService(env.orm.em.fork());
  const product = await service.create({
    sku: `SKU-${env.unique('p')}`,
    name: 'Kopi Luwak',
    priceCents: 1000,
    currency: 'IDR',
    stock: 5,
    status: 'published',
  });
  for (let i = 1; i <= changes; i++) await service.patch(product.id, { priceCents: 1000 + i });
  return product;
}

/** Relays the outbox into `queue` and returns the job's data. */
async function relayedJob(queue: Queue): Promise<CatalogSyncJob> {
  await relayOutbox(env.orm, { catalogSync: queue, automation: queue });
  const jobs = await queue.getJobs(['waiting']);
  expect(jobs).toHaveLength(1);
  await jobs[0]!.remove();
  return jobs[0]!.data as CatalogSyncJob;
}

describe('catalog dispatcher', () => {
  it('sends the newest version of each product once, signed, with the request id, and logs every event', async () => {
    const { queue, deps, registry } = setup();
    const product = await productWithChanges(2);
    const job = await relayedJob(queue);
    expect(job.seqs).toHaveLength(3);

    const summary = await dispatchCatalogJob(deps, job);
    expect(summary).toMatchObject({ sent: 1, applied: 1, superseded: 2, failed: 0 });
    expect(harness.flow.requests).toHaveLength(1);
    const [request] = harness.flow.requests;
    expect(request!.path).toBe('/webhook/catalog-sync-v1');
    expect(request!.headers['x-request-id']).toBe(job.requestId);
    expect(request!.events.map((e) => [e.aggregate.id, e.aggregate.version, e.data.priceCents])).toEqual([
      [product.id, 3, 1002],
    ]);
    expect(isSignedWith(env.config.WEBHOOK_SECRET, request!)).toBe(true);
    expect(isSignedWith('another-secret', request!)).toBe(false);

    const log = await storedDeliveries(env, { limit: 10 });
    expect(log.map((d) => [d.aggregate.version, d.status, d.requestId, d.flowVersion]).sort()).toEqual([
      [1, 'superseded', job.requestId, 'v1'],
      [2, 'superseded', job.requestId, 'v1'],
      [3, 'applied', job.requestId, 'v1'],
    ]);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/lapak_sync_deliveries_total\{flow_version="v1",result="applied"\} 1/);
    expect(metrics).toMatch(/lapak_sync_deliveries_total\{flow_version="v1",result="stale"\} 2/);
    expect(metrics).toMatch(/lapak_sync_lag_seconds_count 1/);
  });

  it('renders each event for the flow version it posts to: v1 without options and variants, v2 with them', async () => {
    const product = await new ProductService(env.orm.em.fork()).create(
      optionProductBody('Weight', [
        { value: '250 g', priceCents: 48_000, stock: 3 },
        { value: '1 kg', priceCents: 150_000, stock: 1 },
      ]),
    );
    for (const version of ['v1', 'v2'] as const) {
      const { queue, deps } = setup({ SYNC_FLOW_VERSION: version });
      const job = await relayedJob(queue);
      expect((await dispatchCatalogJob(deps, job)).applied).toBe(1);
      // The same event again, for the other version.
      await sql`update outbox_events set relayed_at = null where aggregate_id = ${product.id}`.execute(
        env.orm.em.fork().getKysely(),
      );
    }
    const [v1, v2] = harness.flow.requests;
    expect(v1!.path).toBe('/webhook/catalog-sync-v1');
    expect(v1!.events[0]).toMatchObject({ schemaVersion: 1, data: { sku: product.sku, stock: 4 } });
    expect(v1!.events[0]!.data).not.toHaveProperty('variants');
    expect(v1!.events[0]!.data).not.toHaveProperty('options');
    expect(v2!.path).toBe('/webhook/catalog-sync-v2');
    expect(v2!.events[0]).toMatchObject({
      id: v1!.events[0]!.id,
      schemaVersion: 2,
      data: {
        options: product.options,
        variants: product.variants.map((v, sort) => ({
          id: v.id,
          sku: v.sku,
          optionValues: v.optionValues,
          priceCents: v.priceCents,
          stock: v.stock,
          version: v.version,
          sort,
        })),
      },
    });
  });

  it('does not send an event when PostgreSQL already has a newer version (a replay of an old event)', async () => {
    const { queue, deps } = setup();
    await productWithChanges(0);
    const old = await relayedJob(queue);
    await productWithChanges(0); // another product, so the second job is not empty
    const { rows } = await sql<{
      aggregate_id: string;
    }>`select aggregate_id from outbox_events where seq = ${old.seqs[0]}`.execute(
      env.orm.em.fork().getKysely(),
    );
    await new ProductService(env.orm.em.fork()).patch(rows[0]!.aggregate_id, { stock: 1 });
    const summary = await dispatchCatalogJob(deps, old);
    expect(summary).toMatchObject({ sent: 0, superseded: 1 });
    expect(harness.flow.requests).toHaveLength(0);
  });

  it('retries what the flow could not take with backoff, and dead-letters it after the last attempt', async () => {
    const { queue, deps } = setup({ SYNC_MAX_ATTEMPTS: 2 });
    await productWithChanges(0);
    const job = await relayedJob(queue);
    harness.flow.answer = () => ({ status: 500, body: '{"message":"Error in workflow"}' });

    const first = await dispatchCatalogJob(deps, job);
    expect(first).toMatchObject({ sent: 1, failed: 1, retried: 1, deadLettered: 0 });
    const [retry] = await queue.getJobs(['delayed']);
    expect(retry?.data).toEqual({ seqs: job.seqs, attempt: 2, requestId: job.requestId });
    expect(retry?.opts.delay).toBeGreaterThan(0);

    const second = await dispatchCatalogJob(deps, retry!.data as CatalogSyncJob);
    expect(second).toMatchObject({ failed: 1, retried: 0, deadLettered: 1 });
    const letters = await storedDeadLetters(env);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ seq: job.seqs[0], attempts: 2, flowVersion: 'v1' });
    expect(letters[0]!.lastError).toMatch(/flow answered 500/);
    const log = await storedDeliveries(env, { limit: 10, status: 'error' });
    expect(log.map((d) => [d.attempt, d.httpStatus])).toEqual([
      [2, 500],
      [1, 500],
    ]);
  });

  it('splits events the flow refused into halves for their retries, so a bad event ends up alone', async () => {
    const { queue, deps } = setup();
    for (let i = 0; i < 4; i++) await productWithChanges(0);
    const job = await relayedJob(queue);
    harness.flow.answer = (request) => ({
      status: 200,
      results: request.events.map((e, i) =>
        i === 0
          ? { id: e.id, status: 'applied' as const }
          : { id: e.id, status: 'failed' as const, error: 'bad' },
      ),
    });
    const summary = await dispatchCatalogJob(deps, job);
    expect(summary).toMatchObject({ sent: 4, applied: 1, failed: 3, retried: 3 });
    const retries = await queue.getJobs(['delayed']);
    expect(retries.map((r) => (r.data as CatalogSyncJob).seqs.length).sort()).toEqual([1, 2]);
  });

  it('treats an answer that is not {results} or an unreachable flow as an error of every event', async () => {
    const { queue, deps } = setup();
    await productWithChanges(0);
    const job = await relayedJob(queue);
    harness.flow.answer = () => ({ status: 200, body: 'not json' });
    expect(await dispatchCatalogJob(deps, job)).toMatchObject({ failed: 1, retried: 1 });

    const unreachable = setup({ N8N_URL: 'http://127.0.0.1:1' });
    expect(await dispatchCatalogJob(unreachable.deps, job)).toMatchObject({ failed: 1, retried: 1 });
    const [entry] = await storedDeliveries(env, { limit: 1 });
    expect(entry).toMatchObject({ status: 'error', httpStatus: null });
    expect(entry!.error).toMatch(/flow unreachable/);
  });
});
