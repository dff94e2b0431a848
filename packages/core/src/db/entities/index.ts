import { Category } from './category.entity';
import { Product } from './product.entity';
import { User } from './user.entity';
import { IdempotencyKey, Order, OrderLine } from './order.entity';
import { OutboxEvent } from './outbox-event.entity';

export { Category, Product, User, Order, OrderLine, IdempotencyKey, OutboxEvent };

export const entities = [Category, Product, User, Order, OrderLine, IdempotencyKey, OutboxEvent];
