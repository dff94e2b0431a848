import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PaymentStatus } from '@lapak/contracts';
import { db } from '../db/database';
import type { PaymentRecord } from './payment-provider';

/**
 * Payments, changed only inside a transaction that holds their orders locked (payments follow
 * their order: the order row is the lock).
 */
export class PaymentRepository {
  constructor(private readonly em: EntityManager) {}

  async find(orderId: string): Promise<PaymentRecord | null> {
    const row = await db(this.em)
      .selectFrom('payments')
      .select([
        'method',
        'status',
        'reference',
        'amount_cents as amountCents',
        'currency',
        'due_at as dueAt',
        'paid_at as paidAt',
      ])
      .where('order_id', '=', orderId)
      .executeTakeFirst();
    return row ?? null;
  }

  async markPaid(orderId: string): Promise<void> {
    await db(this.em)
      .updateTable('payments')
      .set({ status: 'paid', paid_at: new Date(), updated_at: new Date() })
      .where('order_id', '=', orderId)
      .execute();
  }

  /**
   * Closes the payments of orders that end without being paid for, or that are cancelled after:
   * a paid one is `refunded`, any other `expired` (it can no longer be paid).
   */
  async close(orderIds: string[]): Promise<void> {
    if (orderIds.length === 0) return;
    await db(this.em)
      .updateTable('payments')
      .set({
        status: sql<PaymentStatus>`case when status = 'paid' then 'refunded' else 'expired' end`,
        updated_at: new Date(),
      })
      .where('order_id', '=', (eb) => eb.fn.any(eb.val(orderIds)))
      .execute();
  }
}
