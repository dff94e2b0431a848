/**
 * The baseline the order benchmark compares against: what the systems Lapak replaces do. One
 * order per transaction; for each line, read the variant's stock (plain SELECT), check it in
 * code, then write the new value (UPDATE … SET stock = <read value − n>) and the product's. Same queue, same jobs, same
 * outbox event and status message per change as the real worker, so only the decision differs.
 * It is not safe under concurrency (two transactions can read the same stock): the benchmark
 * counts what it oversells.
 */
import { Worker } from 'bullmq';
import { sql } from 'kysely';
import { queueNames } from '@lapak/contracts';
import { createOrm, createRedis, loadConfig, publishOrderStatus, type OrderStatusEvent } from '@lapak/core';
import { OutboxRepository } from '@lapak/core/testing';

const config = loadConfig();
const orm = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX });
const redis = createRedis(config.REDIS_URL, 'worker');
const connection = createRedis(config.REDIS_URL, 'worker');

interface VariantRow {
  id: string;
  product_id: string;
  stock: number;
  product_stock: number;
  status: 'draft' | 'published' | 'archived';
  deleted_at: Date | null;
}

async function decide(orderId: string): Promise<OrderStatusEvent | null> {
  return orm.em.fork().transactional(async (em) => {
    const db = em.getKysely();
    const order = (
      await sql<{ id: string; user_id: string; status: string }>`
        select id, user_id, status from orders where id = ${orderId}`.execute(db)
    ).rows[0];
    if (!order || order.status !== 'pending') return null;
    const lines = (
      await sql<{ variant_id: string; quantity: number }>`
        select variant_id, quantity from order_lines where order_id = ${orderId} order by line_no`.execute(db)
    ).rows;

    let failure: string | null = null;
    const reads: { line: (typeof lines)[number]; variant: VariantRow }[] = [];
    for (const line of lines) {
      const variant = (
        await sql<VariantRow>`
          select v.id, v.product_id, v.stock, p.stock as product_stock, p.status, coalesce(v.deleted_at, p.deleted_at) as deleted_at
            from product_variants v join products p on p.id = v.product_id
           where v.id = ${line.variant_id}`.execute(db)
      ).rows[0];
      if (!variant || variant.status !== 'published' || variant.deleted_at) failure ??= 'product_unavailable';
      else if (variant.stock < line.quantity) failure ??= 'out_of_stock';
      else reads.push({ line, variant });
    }
    if (!failure) {
      for (const { line, variant } of reads) {
        const version = (
          await sql<{ version: number }>`
            update products set stock = ${variant.product_stock - line.quantity}, version = version + 1, updated_at = now()
             where id = ${variant.product_id} returning version`.execute(db)
        ).rows[0]!.version;
        await sql`
          update product_variants set stock = ${variant.stock - line.quantity}, version = ${version}, updated_at = now()
           where id = ${variant.id}`.execute(db);
        await new OutboxRepository(em).appendProductsUpserted([variant.product_id]);
      }
    }
    const updated = (
      await sql<{ updated_at: Date }>`
        update orders set status = ${failure ? 'failed' : 'confirmed'}, failure_reason = ${failure},
               updated_at = clock_timestamp()
         where id = ${orderId} returning updated_at`.execute(db)
    ).rows[0]!;
    return {
      orderId,
      userId: order.user_id,
      status: failure ? 'failed' : 'confirmed',
      failureReason: failure,
      updatedAt: new Date(updated.updated_at).toISOString(),
    };
  });
}

const worker = new Worker(
  queueNames.orders,
  async (job) => {
    const event = await decide((job.data as { orderId: string }).orderId);
    if (event) await publishOrderStatus(redis, config.REDIS_PREFIX, [event]);
    return event?.status ?? 'already final';
  },
  { connection, prefix: config.REDIS_PREFIX, concurrency: config.WORKER_CONCURRENCY },
);

process.stdout.write(`${JSON.stringify({ metricsPort: 0, msg: 'worker started' })}\n`);
process.on('SIGTERM', () => {
  void (async () => {
    await worker.close();
    connection.disconnect();
    redis.disconnect();
    await orm.close();
    process.exit(0);
  })();
});
