import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CatalogCartProduct, CatalogProductSummary } from '../catalog/catalog.types';
import { describeOptionValues, shopChoices, type ShopVariant } from '../catalog/shop-variants';
import { localStore } from '../lib/local-store';
import { totalsByCurrency } from '../lib/money';

/** The most of one product an order may hold, and the most lines (docs/api.md, "Orders"). */
export const maxQuantityPerLine = 1000;
export const maxLines = 100;

export interface CartLine {
  productId: string;
  /** The variant chosen; null for a product ordered by itself (no variants in the catalog). */
  variantId: string | null;
  /** The chosen variant's values by option name, in the product's option order ({} without options). */
  optionValues: Record<string, string>;
  slug: string;
  name: string;
  priceCents: number;
  currency: string;
  /** Stock when last seen in the catalog; quantities never exceed it. */
  stock: number;
  imageId: string | null;
  quantity: number;
  /** False once the product, or its variant, is no longer for sale. */
  available: boolean;
}

/** What the cart needs to know of a product to add it. */
export type CartProduct = Pick<
  CatalogProductSummary,
  'id' | 'slug' | 'name' | 'price_cents' | 'currency' | 'stock' | 'images'
>;

/** The product's variant being added; without one, the product itself (its one variant). */
export type CartVariant = Pick<ShopVariant, 'id' | 'optionValues' | 'priceCents' | 'stock' | 'image'>;

/** What the cart reads of a product to bring its lines up to date. */
export type CartProductNow = CartProduct & Partial<Pick<CatalogCartProduct, 'sku' | 'variants'>>;

export interface CartNotice {
  /** The line's key (`lineKey`). */
  key: string;
  message: string;
}

export interface AddResult {
  /** The line's quantity after adding. */
  quantity: number;
  /** How many were actually added (less than asked when stock ran short). */
  added: number;
  message: string | null;
}

/** One line per product and variant: the cart's key for it. */
export const lineKey = (line: { productId: string; variantId?: string | null }): string =>
  line.variantId ? `${line.productId}/${line.variantId}` : line.productId;

/** The line's name with its option values: "Kopi Gayo (Weight: 500 g)". */
export const lineLabel = (line: Pick<CartLine, 'name' | 'optionValues'>): string => {
  const values = describeOptionValues(line.optionValues);
  return values ? `${line.name} (${values})` : line.name;
};

const isRecordOfStrings = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string');

/** Lines saved before variants existed have neither `variantId` nor `optionValues`. */
type StoredLine = Omit<CartLine, 'variantId' | 'optionValues'> &
  Partial<Pick<CartLine, 'variantId' | 'optionValues'>>;

const isLine = (value: unknown): value is StoredLine => {
  const line = value as StoredLine;
  return (
    typeof line === 'object' &&
    line !== null &&
    typeof line.productId === 'string' &&
    (line.variantId === undefined || line.variantId === null || typeof line.variantId === 'string') &&
    (line.optionValues === undefined || isRecordOfStrings(line.optionValues)) &&
    typeof line.name === 'string' &&
    Number.isInteger(line.priceCents) &&
    typeof line.currency === 'string' &&
    Number.isInteger(line.quantity) &&
    Number.isInteger(line.stock)
  );
};
const isLines = (value: unknown): value is StoredLine[] => Array.isArray(value) && value.every(isLine);

const storedLines = localStore<StoredLine[]>('lapak.cart.v1', () => [], isLines);

export const cartStore = {
  key: storedLines.key,
  read: (): CartLine[] =>
    storedLines.read().map((line) => ({
      ...line,
      variantId: line.variantId ?? null,
      optionValues: line.optionValues ?? {},
    })),
  write: (lines: CartLine[]) => storedLines.write(lines),
  clear: () => storedLines.clear(),
};

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
  variant: CartVariant,
): Pick<CartLine, 'slug' | 'name' | 'priceCents' | 'currency' | 'stock' | 'available'> => ({
  slug: product.slug,
  name: product.name,
  priceCents: variant.priceCents,
  currency: product.currency,
  stock: variant.stock,
  available: true,
});
const firstImageId = (product: CartProduct) => product.images[0]?.directus_files_id?.id ?? null;

/** The product itself as its one variant, for a product the catalog has no variants of. */
const itself = (product: CartProduct): CartVariant => ({
  id: null,
  optionValues: {},
  priceCents: product.price_cents,
  stock: product.stock,
  image: null,
});

/**
 * The variant `line` names, as the catalog has it now: undefined when it is gone. A line
 * without a variant matches a product of one variant (the product itself, whether or not the
 * catalog lists it yet); a product with more has to be chosen from again.
 */
function variantNow(line: CartLine, product: CartProductNow): CartVariant | undefined {
  const rows = (product.variants ?? []).map((row) => ({
    ...row,
    image: row.image && { id: row.image.id, title: null, description: null, width: null, height: null },
  }));
  const { variants } = shopChoices({ ...product, sku: product.sku ?? '', variants: rows });
  if (line.variantId) {
    const found = variants.find((variant) => variant.id === line.variantId);
    return found && { ...found, optionValues: line.optionValues };
  }
  return variants.length === 1 ? { ...variants[0]!, optionValues: {} } : undefined;
}

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

  const find = (key: string) => lines.value.find((line) => lineKey(line) === key);
  /** How many of a product (or of one of its variants, by `lineKey`) the cart holds. */
  const quantityOf = (key: string) => find(key)?.quantity ?? 0;

  /** Adds `quantity` of `variant` of `product` (the product itself when it has no variants). */
  function add(product: CartProduct, quantity = 1, variant: CartVariant = itself(product)): AddResult {
    const key = lineKey({ productId: product.id, variantId: variant.id });
    const existing = find(key);
    const label = lineLabel({ name: product.name, optionValues: variant.optionValues });
    if (!existing && lines.value.length >= maxLines) {
      return { quantity: 0, added: 0, message: `A cart holds at most ${maxLines} different products.` };
    }
    const line: CartLine = existing
      ? Object.assign(existing, seenInCatalog(product, variant))
      : {
          productId: product.id,
          variantId: variant.id,
          optionValues: { ...variant.optionValues },
          imageId: variant.image?.id ?? firstImageId(product),
          quantity: 0,
          ...seenInCatalog(product, variant),
        };
    const before = line.quantity;
    const max = maxQuantity(line);
    line.quantity = clamp(before + quantity, max);
    const added = line.quantity - before;
    if (!existing && line.quantity > 0) lines.value.push(line);
    save();
    let message: string | null = null;
    if (max === 0) message = `${label} is sold out.`;
    else if (added < quantity)
      message = `Only ${max} of ${label} can be ordered; your cart has ${line.quantity}.`;
    return { quantity: line.quantity, added, message };
  }

  function setQuantity(key: string, quantity: number): void {
    const line = find(key);
    if (!line || !Number.isFinite(quantity)) return;
    const next = clamp(quantity, maxQuantity(line));
    if (next === 0) remove(key);
    else {
      line.quantity = next;
      save();
    }
  }

  function remove(key: string): void {
    lines.value = lines.value.filter((line) => lineKey(line) !== key);
    save();
  }

  /** Removes the lines of a placed order (its lines' `productId` and `variantId`). */
  function removeOrdered(ordered: readonly { productId: string; variantId?: string | null }[]): void {
    const keys = new Set(ordered.map(lineKey));
    lines.value = lines.value.filter((line) => !keys.has(lineKey(line)));
    save();
  }

  function clear(): void {
    lines.value = [];
    save();
  }

  /**
   * Brings the lines up to date with the catalog (price, name, stock of each line's variant);
   * lowers quantities to the stock, marks products and variants no longer for sale. Returns
   * what the shopper should be told.
   */
  function refresh(current: readonly CartProductNow[]): CartNotice[] {
    const byId = new Map(current.map((product) => [product.id, product]));
    const notices: CartNotice[] = [];
    for (const line of lines.value) {
      const key = lineKey(line);
      const product = byId.get(line.productId);
      const variant = product && variantNow(line, product);
      if (!product || !variant) {
        if (line.available) notices.push({ key, message: `${lineLabel(line)} is no longer for sale.` });
        line.available = false;
        continue;
      }
      if (variant.priceCents !== line.priceCents) {
        notices.push({
          key,
          message: `The price of ${lineLabel({ ...line, name: product.name })} has changed.`,
        });
      }
      Object.assign(line, seenInCatalog(product, variant), {
        imageId: variant.image?.id ?? firstImageId(product) ?? line.imageId,
      });
      const max = maxQuantity(line);
      if (max === 0) {
        notices.push({ key, message: `${lineLabel(line)} is sold out.` });
      } else if (line.quantity > max) {
        line.quantity = max;
        notices.push({
          key,
          message: `Only ${max} of ${lineLabel(line)} left; the quantity was lowered to ${max}.`,
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
