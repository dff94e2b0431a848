import type { EntityManager } from '@mikro-orm/postgresql';
import { Category, Order, OrderLine, Product, ProductVariant, User } from '../db/entities';
import { newId } from '../db/ids';
import { hashPassword } from '../auth/password';
import { sampleShippingAddress } from './checkout-fields';
import { sampleProductFields } from './product-fields';

let sequence = 0;
const next = () => `${Date.now().toString(36)}${(++sequence).toString(36)}`;

/** A new id and both timestamps at one instant, as a row just inserted has them. */
function newRow() {
  const now = new Date();
  return { id: newId(), createdAt: now, updatedAt: now };
}

async function saved<T extends object>(em: EntityManager, entity: T): Promise<T> {
  await em.persist(entity).flush();
  return entity;
}

export async function makeUser(
  em: EntityManager,
  overrides: Partial<Pick<User, 'email' | 'name' | 'role'>> & { password?: string } = {},
): Promise<User> {
  const n = next();
  const user = em.create(User, {
    ...newRow(),
    email: overrides.email ?? `user-${n}@example.test`,
    name: overrides.name ?? `User ${n}`,
    passwordHash: await hashPassword(overrides.password ?? 'correct horse battery staple'),
    role: overrides.role ?? 'customer',
  });
  return saved(em, user);
}

export async function makeCategory(em: EntityManager, overrides: Partial<Category> = {}): Promise<Category> {
  const n = next();
  const category = em.create(Category, {
    ...newRow(),
    name: `Category ${n}`,
    slug: `category-${n}`,
    parentId: null,
    version: 1,
    deletedAt: null,
    ...overrides,
  });
  return saved(em, category);
}

/** A product without options, with its one variant (same sku, price and stock). */
export async function makeProduct(em: EntityManager, overrides: Partial<Product> = {}): Promise<Product> {
  const n = next();
  const product = await saved(
    em,
    em.create(Product, {
      ...newRow(),
      ...sampleProductFields(n),
      options: [],
      version: 1,
      deletedAt: null,
      ...overrides,
    }),
  );
  await saved(
    em,
    em.create(ProductVariant, {
      ...newRow(),
      productId: product.id,
      sku: product.sku,
      optionValues: {},
      priceCents: product.priceCents,
      stock: product.stock,
      version: product.version,
      deletedAt: product.deletedAt,
    }),
  );
  return product;
}

/**
 * An order as checkout stores it (pending unless told otherwise), with lines snapshotting the
 * products' sku, name and price. No stock is taken and nothing is enqueued. Without a payment
 * method it is an order from before payment was asked for: deciding it confirms it.
 */
export async function makeOrder(
  em: EntityManager,
  options: {
    user: Pick<User, 'id'>;
    lines: { product: Pick<Product, 'id' | 'sku' | 'name' | 'priceCents' | 'currency'>; quantity: number }[];
    status?: Order['status'];
    failureReason?: Order['failureReason'];
    paymentMethod?: Order['paymentMethod'];
    createdAt?: Date;
  },
): Promise<Order> {
  const now = options.createdAt ?? new Date();
  const order = em.create(Order, {
    id: newId(),
    userId: options.user.id,
    status: options.status ?? 'pending',
    failureReason: options.failureReason ?? null,
    totalCents: options.lines.reduce((sum, line) => sum + line.product.priceCents * line.quantity, 0),
    currency: options.lines[0]?.product.currency ?? 'EUR',
    paymentMethod: options.paymentMethod ?? null,
    shippingAddress: options.paymentMethod ? sampleShippingAddress : null,
    createdAt: now,
    updatedAt: now,
  });
  await em.persist(order).flush();
  const variants = await em.find(ProductVariant, {
    productId: { $in: options.lines.map((line) => line.product.id) },
  });
  const variantOf = new Map(variants.map((variant) => [variant.productId, variant]));
  options.lines.forEach((line, index) =>
    em.persist(
      em.create(OrderLine, {
        orderId: order.id,
        lineNo: index + 1,
        productId: line.product.id,
        variantId: variantOf.get(line.product.id)!.id,
        optionValues: variantOf.get(line.product.id)!.optionValues,
        sku: line.product.sku,
        name: line.product.name,
        unitPriceCents: line.product.priceCents,
        quantity: line.quantity,
      }),
    ),
  );
  await em.flush();
  return order;
}
