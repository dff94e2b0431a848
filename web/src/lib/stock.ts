/** At or below this many units a product shows "only N left". */
export const lowStockThreshold = 5;

export type StockLevel = 'in_stock' | 'low' | 'sold_out';

export interface StockStatus {
  level: StockLevel;
  label: string;
}

/** What a shopper reads about a product's stock. */
export function stockStatus(stock: number): StockStatus {
  if (stock <= 0) return { level: 'sold_out', label: 'Sold out' };
  if (stock <= lowStockThreshold) return { level: 'low', label: `Only ${stock} left` };
  return { level: 'in_stock', label: 'In stock' };
}
