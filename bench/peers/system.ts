import type { CartLine } from './catalog';

/** What a checkout came to. */
export interface CheckoutOutcome {
  ok: boolean;
  /** The order's id, when the system answered with one. */
  orderId?: string;
  /** Why it did not complete (the first refusal or error), for the log. */
  refusal?: string;
}

/** Units of the hot product the system promised to buyers, and its stock as the system now reads it. */
export interface HotProductCount {
  sold: number;
  stock: string;
}

/** One system under test, started and loaded with the catalog, driven through its storefront API. */
export interface SystemUnderTest {
  readonly name: string;
  /** Version and settings, for the doc. */
  readonly describe: string;
  /** The processes whose CPU is counted, by label, sampled now (PostgreSQL backends come and go). */
  processes(): Promise<Record<string, number[]>>;
  /** One shopper's whole checkout, as the system's docs show it; `buyer` picks the shopper. */
  checkout(lines: CartLine[], buyer: number): Promise<CheckoutOutcome>;
  /**
   * For a system that decides orders after accepting them: resolves when `orderId` has its
   * decision (performance.now() of its arrival and the status).
   */
  decided?(orderId: string): Promise<{ at: number; status: string }>;
  /** Reads the hot product's sold units and stock from the system's own database. */
  hotProduct(): Promise<HotProductCount>;
  stop(): Promise<void>;
}
