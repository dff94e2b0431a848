import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order as OrderDto } from '@lapak/contracts';
import type { Principal } from '../auth/token.service';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { OutboxRepository } from '../outbox/outbox.repository';
import { OrderProcessingRepository } from './order-processing.repository';
import { toStatusEvent } from './order-processing.service';
import type { OrderStatusEvent } from './order-status-events';
import { OrderRepository } from './order.repository';
import { StockRepository } from './stock.repository';

/** Where a status change goes after its commit (the order-status channel on Redis). */
export type PublishOrderStatus = (events: OrderStatusEvent[]) => Promise<void>;

/**
 * Cancels an order for its owner or an admin. A pending order just becomes `cancelled` (a job
 * still queued for it then finds it no longer pending and does nothing). A confirmed order
 * becomes `cancelled` and gives its stock back in the same transaction, each product's version
 * bumped and its `product.upserted` outboxed like any stock change. A failed or cancelled order
 * cannot be cancelled (409). The order row is locked first: a cancel and a worker deciding the
 * same order run one after the other, and the cancel sees the decision.
 */
export class OrderCancelService {
  constructor(
    private readonly em: EntityManager,
    private readonly publish: PublishOrderStatus,
    private readonly log?: Logger,
  ) {}

  async cancel(principal: Principal, orderId: string): Promise<OrderDto> {
    const changed = await this.em.transactional(async (em) => {
      const orders = new OrderProcessingRepository(em);
      const order = await orders.lockOne(orderId);
      if (!order || (principal.role !== 'admin' && order.userId !== principal.userId)) {
        throw AppError.notFound('Order');
      }
      if (order.status === 'failed' || order.status === 'cancelled') {
        throw new AppError(
          'conflict',
          `The order is ${order.status}; only a pending or confirmed order can be cancelled`,
          { status: order.status },
        );
      }
      if (order.status === 'confirmed') {
        const quantities = new Map<string, number>();
        for (const line of order.lines) {
          quantities.set(line.productId, (quantities.get(line.productId) ?? 0) + line.quantity);
        }
        const changed = await new StockRepository(em).giveBack(quantities);
        await new OutboxRepository(em).appendProductsUpserted(changed);
      }
      return orders.markCancelled(orderId);
    });
    try {
      await this.publish([toStatusEvent(changed)]);
    } catch (error) {
      // Committed; a status stream re-reads the order on its next heartbeat.
      this.log?.warn({ err: error, orderId }, 'order status not published');
    }
    const stored = await new OrderRepository(this.em).findById(orderId);
    if (!stored) throw AppError.notFound('Order');
    return stored.order;
  }
}
