import { createLogger, loadConfig } from '@lapak/core';
import { createApp } from '@lapak/api/src/app';
import { createApiDeps } from '@lapak/api/src/deps';
import { naiveCheckoutRoute } from './lib/naive-checkout';

/**
 * The API as `api/src/main.ts` builds it (same deps, same app), plus the baseline checkout at
 * POST /bench/naive-orders. Started by checkout.bench.ts in its own process.
 */
const config = loadConfig();
const deps = await createApiDeps(config, createLogger({ level: config.LOG_LEVEL, name: 'api' }));
const app = createApp(deps);
app.use(naiveCheckoutRoute(deps));
const server = app.listen(config.API_PORT, config.API_HOST);
server.keepAliveTimeout = 65_000;

process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => void deps.close().then(() => process.exit(0)));
});
