import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './app.vue';
import { createShopRouter } from './router';
import { signedInHint, useAuthStore } from './stores/auth.store';
import { useCartStore } from './stores/cart.store';
import { useCheckoutStore } from './stores/checkout.store';
import './styles/main.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const router = createShopRouter();
app.use(router);

const auth = useAuthStore();
const cart = useCartStore();
const checkout = useCheckoutStore();

// Another tab logged in or out, or changed the cart.
window.addEventListener('storage', (event) => {
  if (event.key === signedInHint.key) auth.syncFromStorage();
  if (event.key?.startsWith('lapak.cart')) cart.syncFromStorage();
  if (event.key?.startsWith('lapak.checkout')) checkout.syncFromStorage();
});

void auth.restore();
app.mount('#app');
