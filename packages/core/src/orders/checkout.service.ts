import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order as OrderDto, OrderCreate, ProcessOrderJob } from '@lapak/contracts';
import type { Principal } from '../auth/token.service';
import { newId } from '../db/ids';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { OrderRepository, type CheckoutProduct, type NewOrder } from './order.repository';

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
  const lines = input.items.map((line) => [line.productId.toLowerCase(), line.quantity]);
  return createHash('sha256').update(JSON.stringify(lines)).digest('base64url');
}

/**
 * Checkout: validate the lines against the catalog, store the order as `pending` with its
 * idempotency record in one statement, enqueue it once, answer at once. No stock work here:
 * the order worker decides.
 */
export class CheckoutService {
  private readonly orders: OrderRepository;

  constructor(
    em: EntityManager,
    private readonly queue: OrderQueue,
    private readonly log: Logger,
  ) {
    this.orders = new OrderRepository(em);
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

    const products = await this.orders.findPurchasable(input.items.map((line) => line.productId));
    const draft = this.draftOrder(userId, input, products);
    if (draft instanceof AppError) {
      // A retry of a checkout that was stored before its products went away still gets its order.
      const replay = await this.replay(key);
      if (replay) return replay;
      throw draft;
    }

    for (let attempt = 0; attempt < 2; attempt++) {
      const stored = await this.orders.insertWithIdempotencyKey(draft, key);
      if (stored) {
        await this.enqueue({ orderId: draft.id, requestId });
        return { order: toOrderDto(draft, stored), created: true };
      }
      const replay = await this.replay(key);
      if (replay) return replay;
      // The record vanished between the conflict and the read (expired and removed): try once more.
    }
    throw new AppError('conflict', 'The Idempotency-Key is in use by a concurrent request; retry');
  }

  /** Builds the order from the catalog snapshot, or the validation error naming each bad line. */
  private draftOrder(userId: string, input: OrderCreate, products: CheckoutProduct[]): NewOrder | AppError {
    const byId = new Map(products.map((product) => [product.id, product]));
    const details: Record<string, string> = {};
    const lines: NewOrder['lines'] = [];
    let currency: string | undefined;
    let totalCents = 0;
    input.items.forEach((line, index) => {
      const product = byId.get(line.productId.toLowerCase());
      if (!product) {
        details[`items.${index}.productId`] = 'no such product for sale';
        return;
      }
      currency ??= product.currency;
      if (product.currency !== currency) {
        details[`items.${index}.productId`] =
          `is priced in ${product.currency}; an order has one currency (${currency})`;
        return;
      }
      totalCents += product.priceCents * line.quantity;
      lines.push({
        productId: product.id,
        sku: product.sku,
        name: product.name,
        unitPriceCents: product.priceCents,
        quantity: line.quantity,
      });
    });
    if (Object.keys(details).length > 0 || !currency) {
      return AppError.validation('Some order lines cannot be bought', details);
    }
    return { id: newId(), userId, totalCents, currency, lines };
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
      this.log.warn({ err: error, orderId: job.orderId }, 'order stored but not enqueued; the sweeper will');
    }
  }
}

function toOrderDto(order: NewOrder, stored: { createdAt: string; updatedAt: string }): OrderDto {
  return {
    id: order.id,
    status: 'pending',
    failureReason: null,
    items: order.lines,
    totalCents: order.totalCents,
    currency: order.currency,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}
