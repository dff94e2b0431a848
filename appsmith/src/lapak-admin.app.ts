import type { ApplicationDefinition } from './application-export';
import { categoriesPage } from './pages/categories.page';
import { ordersPage } from './pages/orders.page';
import { productsPage } from './pages/products.page';
import { settingsPage } from './pages/settings.page';
import { syncHealthPage } from './pages/sync-health.page';

/** Lapak Admin: the Appsmith application admins keep master data with (`appsmith/lapak-admin.json`). */
export const lapakAdmin: ApplicationDefinition = {
  name: 'Lapak Admin',
  slug: 'lapak-admin',
  pages: [productsPage, categoriesPage, ordersPage, syncHealthPage, settingsPage],
};
