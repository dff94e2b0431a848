import { loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { createOrm, migrate } from './orm';

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'migrate' });
const orm = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: 1 });
try {
  const applied = await migrate(orm);
  logger.info(
    { applied },
    applied.length ? `applied ${applied.length} migration(s)` : 'schema is up to date',
  );
} finally {
  await orm.close();
}
