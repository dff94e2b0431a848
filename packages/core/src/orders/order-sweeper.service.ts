import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderProcessingRepository, type ChangedOrder } from './order-processing.repository';

/**
 * What the sweeper asks of the orders: which have waited suspiciously long (their job may be
 * gone), and failing those that waited past the deadline, so no order stays pending forever.
 */
export class OrderSweeperService {
  constructor(private readonly em: EntityManager) {}

  /** Pending orders older than `olderThanMs`, oldest first (for the worker to check their jobs). */
  listStale(olderThanMs: number, limit: number): Promise<string[]> {
    return new OrderProcessingRepository(this.em).listPendingOlderThan(olderThanMs, limit);
  }

  /** Fails up to `limit` orders pending longer than `timeoutMs` with `timed_out`. */
  timeOut(timeoutMs: number, limit: number): Promise<ChangedOrder[]> {
    return this.em.transactional((em) => new OrderProcessingRepository(em).timeOutPending(timeoutMs, limit));
  }
}
