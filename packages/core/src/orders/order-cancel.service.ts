import type { Order as OrderDto } from '@lapak/contracts';
import type { Principal } from '../auth/token.service';
import { AppError } from '../errors/app-error';
import { OrderChangeService, releaseHeldUnits } from './order-change';
import { OrderProcessingRepository } from './order-processing.repository';

/**
 * Cancels an order. Its owner may cancel it while it is pending or awaiting payment; an admin
 * also once it is confirmed. A pending order just becomes `cancelled` (a job still queued for
 * it then finds it no longer pending and does nothing). An order holding stock (awaiting
 * payment, or confirmed) gives it back in the same transaction, each product's version bumped
 * and its `product.upserted` outboxed like any stock change, and its payment closes (`expired`,
 * or `refunded` if it was paid). A failed or cancelled order cannot be cancelled (409). The
 * order row is locked first: a cancel and a worker deciding the same order run one after the
 * other, and the cancel sees the decision.
 */
export class OrderCancelService extends OrderChangeService {
  async cancel(principal: Principal, orderId: string): Promise<OrderDto> {
    return this.changeOrder(orderId, async (order, em) => {
      const isAdmin = principal.role === 'admin';
      if (!order || (!isAdmin && order.userId !== principal.userId)) {
        throw AppError.notFound('Order');
      }
      if (order.status === 'failed' || order.status === 'cancelled') {
        throw new AppError(
          'conflict',
          `The order is ${order.status}; only an order that is still open can be cancelled`,
          { status: order.status },
        );
      }
      if (order.status === 'confirmed' && !isAdmin) {
        throw new AppError('conflict', 'The order is confirmed; ask the shop to cancel it', {
          status: order.status,
        });
      }
      const orders = new OrderProcessingRepository(em);
      if (order.status !== 'pending') await releaseHeldUnits(em, [orderId], await orders.unitsOf([orderId]));
      const [cancelled] = await orders.markStatus([orderId], 'cancelled');
      return cancelled!;
    });
  }
}
