import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order as OrderDto, OrderCreate, ProcessOrderJob } from '@lapak/contracts';
import type { Principal } from '../auth/token.service';
import { newId } from '../db/ids';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { RateLimitedError } from '../auth/auth-rate-limiter';
import type { CheckoutBatcher } from './checkout-batcher';
import type { CheckoutRateLimiter } from './checkout-rate-limiter';
import { OrderRepository, type CheckoutInsert, type NewCheckout } from './order.repository';

/** Where a stored order goes to be processed (the API adapts it to its BullMQ queue). */
export interface OrderQueue {
  enqueue(job: ProcessOrderJob): Promise<void>;
}

export interface CheckoutResult {
  order: OrderDto;
  /** False when the Idempotency-Key was seen before and the stored order is returned again. */
  created: boolean;
}

/** The fingerprint of a checkout body, to tell a retry from a reuse of the key. */
export function checkoutRequestHash(input: OrderCreate): string {
  // A line naming no variant hashes as it did before variants, so a retry still matches.
  const lines = input.items.map((line) =>
    line.variantId ? [line.productId, line.quantity, line.variantId] : [line.productId, line.quantity],
  );
  const { shippingAddress: a, paymentMethod } = input;
  const address = [a.name, a.phone, a.line1, a.line2, a.city, a.region, a.postalCode, a.country];
  return createHash('sha256')
    .update(JSON.stringify([lines, address, paymentMethod]))
    .digest('base64url');
}

/** The error for a checkout over one of the shop's limits. */
function overLimitError(result: Extract<CheckoutInsert, { status: 'over_limit' }>): AppError {
  if (result.limit === 'open_orders') {
    return new RateLimitedError(
      OPEN_ORDERS_RETRY_SECONDS,
      `You have ${result.max} orders waiting for a decision or a payment, the most at once; ` +
        'pay for or cancel one before placing another',
    );
  }
  return new AppError(
    'quantity_limit_exceeded',
    `An order may have at most ${result.max} units of a product`,
    Object.fromEntries(
      result.lines.map((line) => [`items.${line}.quantity`, `must be at most ${result.max}`]),
    ),
  );
}

/** When to try again after the open-orders cap: an order is usually decided within this. */
const OPEN_ORDERS_RETRY_SECONDS = 60;

/**
 * Checkout: check the lines against the catalog and store the order as `pending` with its
 * lines and idempotency record in one statement, enqueue it once, answer at once. No stock
 * work here: the order worker decides.
 */
export class CheckoutService {
  private repository: OrderRepository | undefined;

  /**
   * `em` and `log` are asked for only when needed: a checkout written by the `batcher` (one per
   * process, so concurrent checkouts share a statement and a commit) needs neither, and a
   * request's EntityManager fork and child logger are made on first use. Without a batcher each
   * checkout is written on its own.
   */
  constructor(
    private readonly em: () => EntityManager,
    private readonly queue: OrderQueue,
    private readonly log: () => Logger,
    private readonly batcher?: CheckoutBatcher,
    private readonly limiter?: CheckoutRateLimiter,
  ) {}

  private get orders(): OrderRepository {
    return (this.repository ??= new OrderRepository(this.em()));
  }

  private async store(checkout: NewCheckout): Promise<CheckoutInsert> {
    if (this.batcher) return this.batcher.submit(checkout);
    const [result] = await this.orders.insertCheckouts([checkout]);
    return result!;
  }

  async checkout(
    principal: Principal,
    idempotencyKey: string,
    input: OrderCreate,
    requestId?: string,
  ): Promise<CheckoutResult> {
    const userId = principal.userId;
    if (!userId) {
      throw new AppError('forbidden', 'The admin API token cannot place orders; use a user token');
    }
    const key = { userId, key: idempotencyKey, requestHash: checkoutRequestHash(input) };
    await this.limiter?.check(userId).catch(async (error: unknown) => {
      // A retry of a checkout stored before is answered whatever the rate.
      if (!(await this.replay(key))) throw error;
    });
    const lines = input.items.map((line) => ({
      productId: line.productId,
      variantId: line.variantId ?? null,
      quantity: line.quantity,
    }));

    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await this.store({
        id: newId(),
        userId,
        lines,
        shippingAddress: input.shippingAddress,
        paymentMethod: input.paymentMethod,
        key,
      });
      if (result.status === 'created') {
        await Promise.all([
          this.enqueue({ orderId: result.order.id, requestId }),
          this.limiter?.placed(userId),
        ]);
        return { order: result.order, created: true };
      }
      // The key was used before, or a line cannot be bought: a retry of a stored checkout
      // gets its order even if its products have gone since.
      const replay = await this.replay(key);
      if (replay) return replay;
      if (result.status === 'over_limit') throw overLimitError(result);
      if (result.status === 'invalid') {
        const error = await this.lineErrors(input);
        if (error) throw error;
      }
      // The key's record vanished, or the catalog changed between the two reads: once more.
    }
    throw new AppError('conflict', 'The order could not be stored for a concurrent change; retry');
  }

  /** The validation error naming each line that cannot be bought, or null if all can now. */
  private async lineErrors(input: OrderCreate): Promise<AppError | null> {
    const products = await this.orders.findPurchasable(input.items.map((line) => line.productId));
    const byId = new Map(products.map((product) => [product.id, product]));
    const details: Record<string, string> = {};
    let currency: string | undefined;
    input.items.forEach((line, index) => {
      const product = byId.get(line.productId);
      if (!product) {
        details[`items.${index}.productId`] = 'no such product for sale';
        return;
      }
      const variantProblem = checkoutVariantProblem(product.variantIds, line.variantId);
      if (variantProblem) {
        details[`items.${index}.variantId`] = variantProblem;
        return;
      }
      currency ??= product.currency;
      if (product.currency !== currency) {
        details[`items.${index}.productId`] =
          `is priced in ${product.currency}; an order has one currency (${currency})`;
      }
    });
    return Object.keys(details).length > 0
      ? AppError.validation('Some order lines cannot be bought', details)
      : null;
  }

  /** The stored order for a key seen before; 422 when the key came with another body. */
  private async replay(key: { userId: string; key: string; requestHash: string }) {
    const record = await this.orders.findIdempotencyRecord(key.userId, key.key);
    if (!record) return null;
    if (record.requestHash !== key.requestHash) {
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different order; use a new key for a new order',
      );
    }
    const stored = await this.orders.findById(record.orderId);
    if (!stored) return null;
    return { order: stored.order, created: false } satisfies CheckoutResult;
  }

  /**
   * One enqueue after the commit. If Redis refuses, the order stays pending and the worker's
   * sweeper enqueues (or times out) it later; the shopper still gets 202.
   */
  private async enqueue(job: ProcessOrderJob): Promise<void> {
    try {
      await this.queue.enqueue(job);
    } catch (error) {
      this.log().warn(
        { err: error, orderId: job.orderId },
        'order stored but not enqueued; the sweeper will',
      );
    }
  }
}

/**
 * What is wrong with a line's `variantId` for a product whose live variants are `variantIds`
 * (null when nothing): a line may leave it out only when the product has one variant.
 */
export function checkoutVariantProblem(variantIds: readonly string[], variantId?: string): string | null {
  if (variantId === undefined) {
    return variantIds.length === 1 ? null : 'is required: the product comes in several variants';
  }
  return variantIds.includes(variantId) ? null : 'is not a variant of this product for sale';
}
