import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CatalogProductSummary } from '../catalog/catalog.types';
import { localStore } from '../lib/local-store';
import { totalsByCurrency } from '../lib/money';

/** The most of one product an order may hold, and the most lines (docs/api.md, "Orders"). */
export const maxQuantityPerLine = 1000;
export const maxLines = 100;

export interface CartLine {
  productId: string;
  slug: string;
  name: string;
  priceCents: number;
  currency: string;
  /** Stock when last seen in the catalog; quantities never exceed it. */
  stock: number;
  imageId: string | null;
  quantity: number;
  /** False once the product is no longer published. */
  available: boolean;
}

/** What the cart needs to know of a product to add it. */
export type CartProduct = Pick<
  CatalogProductSummary,
  'id' | 'slug' | 'name' | 'price_cents' | 'currency' | 'stock' | 'images'
>;

export interface CartNotice {
  productId: string;
  message: string;
}

export interface AddResult {
  /** The line's quantity after adding. */
  quantity: number;
  /** How many were actually added (less than asked when stock ran short). */
  added: number;
  message: string | null;
}

const isLine = (value: unknown): value is CartLine => {
  const line = value as CartLine;
  return (
    typeof line === 'object' &&
    line !== null &&
    typeof line.productId === 'string' &&
    typeof line.name === 'string' &&
    Number.isInteger(line.priceCents) &&
    typeof line.currency === 'string' &&
    Number.isInteger(line.quantity) &&
    Number.isInteger(line.stock)
  );
};
const isLines = (value: unknown): value is CartLine[] => Array.isArray(value) && value.every(isLine);

export const cartStore = localStore<CartLine[]>('lapak.cart.v1', () => [], isLines);

/** The most of this line the shopper can order now. */
export const maxQuantity = (line: Pick<CartLine, 'stock' | 'available'>): number =>
  line.available ? Math.max(0, Math.min(line.stock, maxQuantityPerLine)) : 0;

/**
 * What a line copies from the catalog each time it sees the product, so the cart shows the
 * current name, price and stock. The photo is not among them: adding keeps the line's photo,
 * and a refresh keeps it when the product has none.
 */
const seenInCatalog = (
  product: CartProduct,
): Pick<CartLine, 'slug' | 'name' | 'priceCents' | 'currency' | 'stock' | 'available'> => ({
  slug: product.slug,
  name: product.name,
  priceCents: product.price_cents,
  currency: product.currency,
  stock: product.stock,
  available: true,
});
const firstImageId = (product: CartProduct) => product.images[0]?.directus_files_id?.id ?? null;

const clamp = (quantity: number, max: number) => Math.max(0, Math.min(Math.floor(quantity), max));

/**
 * The cart: lines with the product's name, price and stock as last seen, kept in localStorage
 * across reloads and tabs. Quantities stay between 1 and the stock.
 */
export const useCartStore = defineStore('cart', () => {
  const lines = ref<CartLine[]>(cartStore.read());

  const count = computed(() => lines.value.reduce((sum, line) => sum + line.quantity, 0));
  const isEmpty = computed(() => lines.value.length === 0);
  const totals = computed(() => totalsByCurrency(lines.value));
  /** Lines grouped by currency: an order has one currency, so each group checks out on its own. */
  const groups = computed(() => {
    const byCurrency = new Map<string, CartLine[]>();
    for (const line of lines.value) {
      byCurrency.set(line.currency, [...(byCurrency.get(line.currency) ?? []), line]);
    }
    return [...byCurrency].map(([currency, groupLines]) => ({
      currency,
      lines: groupLines,
      totalCents: totals.value.get(currency) ?? 0,
      orderable: groupLines.every((line) => line.available && line.quantity <= maxQuantity(line)),
    }));
  });

  function save() {
    cartStore.write(lines.value);
  }

  const find = (productId: string) => lines.value.find((line) => line.productId === productId);
  const quantityOf = (productId: string) => find(productId)?.quantity ?? 0;

  function add(product: CartProduct, quantity = 1): AddResult {
    const existing = find(product.id);
    if (!existing && lines.value.length >= maxLines) {
      return { quantity: 0, added: 0, message: `A cart holds at most ${maxLines} different products.` };
    }
    const line: CartLine = existing
      ? Object.assign(existing, seenInCatalog(product))
      : { productId: product.id, imageId: firstImageId(product), quantity: 0, ...seenInCatalog(product) };
    const before = line.quantity;
    const max = maxQuantity(line);
    line.quantity = clamp(before + quantity, max);
    const added = line.quantity - before;
    if (!existing && line.quantity > 0) lines.value.push(line);
    save();
    let message: string | null = null;
    if (max === 0) message = `${product.name} is sold out.`;
    else if (added < quantity)
      message = `Only ${max} of ${product.name} can be ordered; your cart has ${line.quantity}.`;
    return { quantity: line.quantity, added, message };
  }

  function setQuantity(productId: string, quantity: number): void {
    const line = find(productId);
    if (!line || !Number.isFinite(quantity)) return;
    const next = clamp(quantity, maxQuantity(line));
    if (next === 0) remove(productId);
    else {
      line.quantity = next;
      save();
    }
  }

  function remove(productId: string): void {
    lines.value = lines.value.filter((line) => line.productId !== productId);
    save();
  }

  /** Removes the lines of a placed order. */
  function removeOrdered(productIds: readonly string[]): void {
    const ordered = new Set(productIds);
    lines.value = lines.value.filter((line) => !ordered.has(line.productId));
    save();
  }

  function clear(): void {
    lines.value = [];
    save();
  }

  /**
   * Brings the lines up to date with the catalog (price, name, stock); lowers quantities to the
   * stock, marks products no longer for sale. Returns what the shopper should be told.
   */
  function refresh(current: readonly CartProduct[]): CartNotice[] {
    const byId = new Map(current.map((product) => [product.id, product]));
    const notices: CartNotice[] = [];
    for (const line of lines.value) {
      const product = byId.get(line.productId);
      if (!product) {
        if (line.available)
          notices.push({ productId: line.productId, message: `${line.name} is no longer for sale.` });
        line.available = false;
        continue;
      }
      if (product.price_cents !== line.priceCents) {
        notices.push({ productId: line.productId, message: `The price of ${product.name} has changed.` });
      }
      Object.assign(line, seenInCatalog(product), { imageId: firstImageId(product) ?? line.imageId });
      const max = maxQuantity(line);
      if (max === 0) {
        notices.push({ productId: line.productId, message: `${line.name} is sold out.` });
      } else if (line.quantity > max) {
        line.quantity = max;
        notices.push({
          productId: line.productId,
          message: `Only ${max} of ${line.name} left; the quantity was lowered to ${max}.`,
        });
      }
    }
    save();
    return notices;
  }

  /** Another tab changed the cart. */
  function syncFromStorage(): void {
    lines.value = cartStore.read();
  }

  return {
    lines,
    count,
    isEmpty,
    totals,
    groups,
    quantityOf,
    add,
    setQuantity,
    remove,
    removeOrdered,
    clear,
    refresh,
    syncFromStorage,
  };
});
