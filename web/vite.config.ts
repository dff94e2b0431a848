import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { bundleSizeReport } from './build/bundle-size-report.ts';

export default defineConfig({
  plugins: [vue(), bundleSizeReport()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The whole shop is one small bundle; warn well before it stops being one.
    chunkSizeWarningLimit: 250,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // The framework, cached across releases of the shop's own code.
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia)[\\/]/ },
            // The contract's schemas, loaded by the account pages and the checkout only. Its
            // money formatting is not among them: every page shows prices, and it needs no zod.
            // Nor is its index, which re-exports money.ts and would pull it in with it.
            {
              name: 'contracts',
              test: /packages[\\/]contracts[\\/]src[\\/](?!money\.ts|index\.ts)|node_modules[\\/]zod[\\/]/,
            },
          ],
        },
      },
    },
  },
});
