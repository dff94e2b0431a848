import type { Order as OrderDto, PaymentConfirm } from '@lapak/contracts';
import { AppError } from '../errors/app-error';
import { OrderChangeService, releaseHeldUnits } from '../orders/order-change';
import { OrderProcessingRepository, type ChangedOrder } from '../orders/order-processing.repository';
import { formatAmount } from './payment-provider';
import { PaymentRepository } from './payment.repository';

/**
 * Money in, and deadlines out. Each change locks the order row first (the lock every order
 * writer takes, before any product), so a confirmation, a cancellation and the expiry sweep
 * of one order run one after the other and each sees what the one before did.
 */
export class PaymentService extends OrderChangeService {
  /**
   * Records a bank transfer received for an order awaiting payment: the payment becomes `paid`
   * and the order `confirmed`. The amount must be exactly what the payment asks for, and a
   * reference, if given, the payment's own; otherwise, or if the order is not awaiting payment
   * (paid already, cancelled, expired, cash on delivery), nothing changes.
   */
  async confirm(orderId: string, input: PaymentConfirm): Promise<OrderDto> {
    return this.changeOrder(orderId, async (order, em) => {
      if (!order) throw AppError.notFound('Order');
      const payments = new PaymentRepository(em);
      const payment = await payments.find(orderId);
      if (order.status !== 'awaiting_payment' || !payment || payment.status !== 'pending') {
        throw new AppError(
          'invalid_state',
          `The order is ${order.status}${payment ? ` and its payment ${payment.status}` : ''}; ` +
            'only an order awaiting payment can be paid',
          { status: order.status, paymentStatus: payment?.status ?? null },
        );
      }
      if (input.amountCents !== payment.amountCents) {
        throw new AppError(
          'payment_amount_mismatch',
          `The payment asks for ${formatAmount(payment.amountCents, payment.currency)}, ` +
            `not ${formatAmount(input.amountCents, payment.currency)}`,
          { amountCents: `must be ${payment.amountCents}` },
        );
      }
      if (input.reference !== undefined && input.reference.toUpperCase() !== payment.reference) {
        throw new AppError(
          'payment_reference_mismatch',
          `The payment's reference is not ${input.reference}`,
          { reference: 'is not the reference of this order’s payment' },
        );
      }
      await payments.markPaid(orderId);
      const [confirmed] = await new OrderProcessingRepository(em).markStatus([orderId], 'confirmed');
      return confirmed!;
    });
  }

  /**
   * Fails up to `limit` orders whose payment deadline has passed (`payment_expired`), in one
   * transaction: their reserved units go back to the products still in the shop (each one's
   * version bumped and its `product.upserted` outboxed, so the CMS shows the stock again) and
   * their payments expire. Orders another transaction holds are skipped and left for the next
   * sweep, so several workers can sweep at once and each order expires exactly once.
   */
  async expireDue(limit: number): Promise<ChangedOrder[]> {
    const expired = await this.em.transactional(async (em) => {
      const orders = new OrderProcessingRepository(em);
      const { ids, units } = await orders.lockPaymentDue(limit);
      if (ids.length === 0) return [];
      await releaseHeldUnits(em, ids, units);
      return orders.markStatus(ids, 'failed', 'payment_expired');
    });
    await this.published(expired);
    return expired;
  }
}
