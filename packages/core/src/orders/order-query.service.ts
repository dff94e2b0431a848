import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order as OrderDto, OrderListQuery } from '@lapak/contracts';
import type { Principal } from '../auth/token.service';
import { decodeCursor, page, type Page } from '../db/cursor';
import { AppError } from '../errors/app-error';
import { OrderRepository } from './order.repository';

/** Reads orders as a caller may see them: their own, or everyone's for an admin. */
export class OrderQueryService {
  private readonly orders: OrderRepository;

  constructor(em: EntityManager) {
    this.orders = new OrderRepository(em);
  }

  /** The order if the caller owns it or is an admin; otherwise 404, so ids of others' orders leak nothing. */
  async get(principal: Principal, id: string): Promise<OrderDto> {
    const stored = await this.orders.findById(id);
    if (!stored || (principal.role !== 'admin' && stored.userId !== principal.userId)) {
      throw AppError.notFound('Order');
    }
    return stored.order;
  }

  /** Open orders (pending, awaiting payment) by status and payment method, for the metrics. */
  openCounts() {
    return this.orders.countByStatusAndMethod({ open: true });
  }

  /** Orders created in the last `hours` by status and payment method, for the metrics. */
  recentCounts(hours: number) {
    return this.orders.countByStatusAndMethod({ createdWithinHours: hours });
  }

  async list(principal: Principal, query: OrderListQuery): Promise<Page<OrderDto>> {
    if (principal.role !== 'admin' && !principal.userId) throw AppError.notFound('Order');
    const rows = await this.orders.list({
      userId: principal.role === 'admin' ? undefined : (principal.userId ?? undefined),
      status: query.status,
      createdFrom: query.from,
      createdBefore: query.to,
      afterId: decodeCursor(query.cursor, 'uuid'),
      limit: query.limit + 1,
    });
    return page(
      rows.map((row) => row.order),
      query.limit,
      (order) => order.id,
    );
  }
}
