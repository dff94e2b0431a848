import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { storedDeadLetters, storedDeliveries, useTestEnv } from '@lapak/core/testing';
import { configEnv } from '@lapak/worker/src/testing/worker-harness';
import { eventually, productCreateBody, useStack } from '../support/stack';

const env = useTestEnv();
// Two attempts, quickly: an event the flow keeps refusing is dead-lettered within seconds.
const stack = useStack(env, { SYNC_MAX_ATTEMPTS: 2, SYNC_RETRY_BASE_MS: 100, SYNC_RETRY_MAX_MS: 200 });

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cli = (name: string) => fileURLToPath(new URL(`../../worker/src/cli/${name}.cli.ts`, import.meta.url));

/** Runs a worker CLI on this file's database; resolves with its exit code and output. */
function runCli(name: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, cli(name), ...args], {
      env: configEnv(stack.config, {
        DIRECTUS_URL: stack.config.DIRECTUS_URL,
        DIRECTUS_SYNC_TOKEN: stack.config.DIRECTUS_SYNC_TOKEN,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

async function metricValue(name: string, labels = ''): Promise<number> {
  const text = await stack.worker.deps.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('dead letters, replay, reconciliation from the command line, metrics', () => {
  it('an event the flow keeps refusing is dead-lettered, and the replay CLI delivers it once the cause is fixed', async () => {
    const category = await stack.api.request('POST', '/api/v1/categories', {
      token: stack.adminToken,
      body: { name: `Teh ${randomUUID().slice(0, 6)}` },
    });
    expect(category.status).toBe(201);
    const created = await stack.api.request('POST', '/api/v1/products', {
      token: stack.adminToken,
      body: productCreateBody({ name: 'Teh Kayu Aro', status: 'published', categoryId: category.body.id }),
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    await eventually('the product in Directus', () => stack.directus.item('products', id));

    // The category disappears from Directus behind the sync's back: the product's next
    // version points at a category Directus does not hold, and the flow refuses it.
    const removed = await stack.directus.request('DELETE', `/items/categories/${category.body.id}`);
    expect(removed.status).toBe(204);
    const changed = await stack.api.request('PATCH', `/api/v1/products/${id}`, {
      token: stack.adminToken,
      body: { stock: 6 },
    });
    expect(changed.status).toBe(200);

    const [dead] = await eventually('a dead letter', async () => {
      const letters = await storedDeadLetters(env);
      return letters.length ? letters : null;
    });
    expect(dead).toMatchObject({
      aggregate: { type: 'product', id, version: changed.body.version },
      attempts: 2,
      flowVersion: 'v1',
    });
    expect(dead!.lastError).toContain(`category ${category.body.id} is not in Directus`);
    const failures = await storedDeliveries(env, {
      limit: 10,
      status: 'failed',
    });
    expect(failures.map((f) => f.attempt).sort()).toEqual([1, 2]);
    expect(await metricValue('lapak_sync_dead_letters')).toBe(1);
    expect(
      await metricValue('lapak_sync_deliveries_total', '{flow_version="v1",result="failed"}'),
    ).toBeGreaterThanOrEqual(2);

    // Fixed in Directus (the category back), then replayed from the command line with progress.
    const restored = await stack.directus.request('POST', '/items/categories', {
      id: category.body.id,
      name: category.body.name,
      slug: category.body.slug,
      version: category.body.version,
    });
    expect(restored.status).toBe(200);
    const replay = await runCli('sync-replay', ['--dead-letters', '--timeout', '60']);
    expect(replay.output).toContain('sync:replay: 1 event(s) back in the outbox');
    expect(replay.output).toMatch(/1\/1 delivered \(applied 1/);
    expect(replay.output).toContain('sync:replay: done');
    expect(replay.code).toBe(0);
    expect(await stack.directus.item('products', id)).toMatchObject({
      stock: 6,
      version: changed.body.version,
      category: category.body.id,
    });
    expect(await storedDeadLetters(env)).toEqual([]);
    expect(await metricValue('lapak_sync_dead_letters')).toBe(0);

    // The lag from commit to Directus was measured for every applied event.
    expect(await metricValue('lapak_sync_lag_seconds_count')).toBeGreaterThanOrEqual(3);
  });

  it('the reconcile CLI reports drift (and a dry run repairs nothing), then repairs it', async () => {
    const created = await stack.api.request('POST', '/api/v1/products', {
      token: stack.adminToken,
      body: productCreateBody({ status: 'published', stock: 3 }),
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    await eventually('the product in Directus', () => stack.directus.item('products', id));
    expect((await stack.directus.request('PATCH', `/items/products/${id}`, { stock: 999 })).status).toBe(200);

    const dry = await runCli('sync-reconcile', ['--dry-run', '--grace', '0']);
    expect(dry.code).toBe(0);
    expect(dry.output).toContain(`product ${id}: different [stock] (PostgreSQL v1, Directus v1)`);
    expect(dry.output).toContain('(dry run: nothing re-emitted)');
    expect(await stack.directus.item('products', id)).toMatchObject({ stock: 999 });

    const real = await runCli('sync-reconcile', ['--grace', '0']);
    expect(real.code).toBe(0);
    expect(real.output).toContain(`product ${id}: different [stock]`);
    expect(real.output).toMatch(/found \d+, re-emitted \d+ event\(s\)/);
    await eventually('the repair in Directus', async () => {
      const item = await stack.directus.item('products', id);
      return item?.stock === 3 && item.version === 2;
    });
  });
});
