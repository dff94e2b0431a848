import { randomUUID } from 'node:crypto';
import { orderCreateSchema, processOrderJobOptions } from '@lapak/contracts';
import { AppError, IdempotencyKey, Order, OrderLine, Product, ProductVariant, type Orm } from '@lapak/core';
import type { createApp } from '@lapak/api/src/app';
import type { ApiDeps } from '@lapak/api/src/deps';

type Middleware = Parameters<ReturnType<typeof createApp>['use']>[0];

/**
 * The baseline: the same checkout written the common ORM way — look the key up, load the
 * products as entities, build the order graph in the unit of work and flush it in a
 * transaction, then enqueue. Same validation, same tables, same answer; served at
 * POST /bench/naive-orders by the benchmark's API process only.
 */
export function naiveCheckoutRoute(deps: ApiDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/bench/naive-orders') return next();
    const userId: string | null | undefined = ctx.state.principal?.userId;
    if (!userId) throw new AppError('unauthenticated', 'This endpoint needs a user token');
    const key = ctx.get('Idempotency-Key');
    const input = orderCreateSchema.parse(ctx.request.body);
    const em = ctx.state.em as Orm['em'];

    const result = await em.transactional(async (tx) => {
      const existing = await tx.findOne(IdempotencyKey, { userId, key });
      if (existing) return { order: await tx.findOneOrFail(Order, existing.orderId), created: false };
      const products = await tx.find(Product, {
        id: { $in: input.items.map((line) => line.productId) },
        deletedAt: null,
        status: 'published',
      });
      const variants = await tx.find(ProductVariant, {
        productId: { $in: products.map((product) => product.id) },
        deletedAt: null,
      });
      // The line's variant, or the product's one variant when the line names none.
      const variantOf = (line: { productId: string; variantId?: string }) => {
        const own = variants.filter((variant) => variant.productId === line.productId);
        return line.variantId
          ? own.find((variant) => variant.id === line.variantId)
          : own.length === 1
            ? own[0]
            : undefined;
      };
      const byId = new Map(products.map((product) => [product.id, product]));
      const currency = products[0]?.currency ?? 'EUR';
      const lines = input.items.map((line, index) => {
        const product = byId.get(line.productId);
        const variant = variantOf(line);
        if (!product || !variant || product.currency !== currency) {
          throw AppError.validation('Some order lines cannot be bought', {
            [`items.${index}.productId`]: 'no such product for sale',
          });
        }
        return { product, variant, quantity: line.quantity };
      });
      const now = new Date();
      const order = tx.create(Order, {
        id: randomUUID(),
        userId,
        status: 'pending',
        failureReason: null,
        totalCents: lines.reduce((sum, line) => sum + line.variant.priceCents * line.quantity, 0),
        currency,
        shippingAddress: input.shippingAddress,
        paymentMethod: input.paymentMethod,
        createdAt: now,
        updatedAt: now,
      });
      // The entities declare no relations, so the unit of work cannot order the inserts by
      // foreign key: the order goes first in a flush of its own, as such code usually does.
      await tx.flush();
      lines.forEach(({ product, variant, quantity }, index) => {
        tx.create(OrderLine, {
          orderId: order.id,
          lineNo: index + 1,
          productId: product.id,
          variantId: variant.id,
          optionValues: variant.optionValues,
          sku: variant.sku,
          name: product.name,
          unitPriceCents: variant.priceCents,
          quantity,
        });
      });
      tx.create(IdempotencyKey, {
        userId,
        key,
        requestHash: JSON.stringify(input),
        orderId: order.id,
        createdAt: now,
      });
      await tx.flush();
      return { order, created: true };
    });

    if (result.created) {
      await deps.queues.orders.add(
        'process-order',
        { orderId: result.order.id },
        processOrderJobOptions(result.order.id),
      );
    }
    ctx.status = result.created ? 202 : 200;
    ctx.body = { id: result.order.id, status: result.order.status, totalCents: result.order.totalCents };
  };
}
