import { loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { grantAppRole } from './database-roles';
import { createOrm, migrate } from './orm';

// The migration needs its database and nothing of the app's secrets (JWT, webhook, tokens), which
// its Job or container is therefore not given; any secret it is given is still judged.
const config = loadConfig(process.env, { requiredSecrets: [] });
const logger = createLogger({ level: config.LOG_LEVEL, name: 'migrate' });
const orm = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: 1 });
try {
  const applied = await migrate(orm);
  logger.info(
    { applied },
    applied.length ? `applied ${applied.length} migration(s)` : 'schema is up to date',
  );
  // Run as the owner: the API's and worker's role gets rows, sequences and functions, no DDL.
  if (config.DATABASE_APP_ROLE) {
    await grantAppRole(orm, config.DATABASE_APP_ROLE);
    logger.info({ role: config.DATABASE_APP_ROLE }, 'granted the app role its access');
  }
} finally {
  await orm.close();
}
