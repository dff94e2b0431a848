import {
  createRouter,
  createWebHistory,
  type RouteLocationRaw,
  type Router,
  type RouterHistory,
} from 'vue-router';
import CatalogPage from './pages/catalog.page.vue';
import { useAuthStore } from './stores/auth.store';

declare module 'vue-router' {
  interface RouteMeta {
    /** Only for logged-in shoppers; others are sent to log in and brought back. */
    requiresAuth?: boolean;
    /** Only for guests (log in, register); logged-in shoppers go to the shop. */
    guestOnly?: boolean;
  }
}

const guestOnly = { guestOnly: true };
const requiresAuth = { requiresAuth: true };

export const routes = [
  { path: '/', name: 'catalog', component: CatalogPage },
  { path: '/products/:slug', name: 'product', component: () => import('./pages/product.page.vue') },
  { path: '/cart', name: 'cart', component: () => import('./pages/cart.page.vue') },
  { path: '/login', name: 'login', component: () => import('./pages/login.page.vue'), meta: guestOnly },
  {
    path: '/register',
    name: 'register',
    component: () => import('./pages/register.page.vue'),
    meta: guestOnly,
  },
  { path: '/orders', name: 'orders', component: () => import('./pages/orders.page.vue'), meta: requiresAuth },
  {
    path: '/orders/:id',
    name: 'order',
    component: () => import('./pages/order.page.vue'),
    meta: requiresAuth,
  },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/not-found.page.vue') },
];

/** Where to go after logging in: only a path inside the shop, never another site. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export function loginRoute(redirect: string): RouteLocationRaw {
  return { name: 'login', query: redirect === '/' ? {} : { redirect } };
}

export function createShopRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({
    history,
    routes,
    scrollBehavior(to, from, saved) {
      if (saved) return saved;
      // Changing filters or pages of the grid keeps the shopper where the grid starts.
      if (to.name === from.name && to.name === 'catalog') return { el: '#results', top: 16 };
      // Choosing a variant names it in the address; the shopper stays where the picker is.
      if (to.name === 'product' && to.path === from.path) return false;
      return { top: 0 };
    },
  });

  router.beforeEach(async (to) => {
    const auth = useAuthStore();
    // Who is signed in is known once the session has been restored from the cookie at start.
    if (to.meta.requiresAuth || to.meta.guestOnly) await auth.whenRestored();
    if (to.meta.requiresAuth && !auth.isLoggedIn) return loginRoute(to.fullPath);
    if (to.meta.guestOnly && auth.isLoggedIn) return safeRedirect(to.query.redirect);
    return true;
  });

  return router;
}
