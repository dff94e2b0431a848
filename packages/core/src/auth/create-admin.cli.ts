import { parseArgs } from 'node:util';
import { emailSchema, passwordSchema, text } from '@lapak/contracts';
import { loadConfig } from '../config/config';
import { createOrm } from '../db/orm';
import { createLogger } from '../logging/logger';
import { AdminAccountService } from './admin-account.service';

/**
 * Creates an admin user, or makes an existing user (same email) an admin with the given name
 * and password:  pnpm --filter @lapak/core create-admin --email a@b.c --password '…' --name 'Admin'
 */
const usage = 'usage: create-admin --email <email> --password <at least 8 characters> --name <name>';
const { values } = parseArgs({
  options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
  strict: true,
});
const email = emailSchema.safeParse(values.email);
const password = passwordSchema.safeParse(values.password);
const name = text(120).safeParse(values.name ?? 'Admin');
if (!email.success || !password.success || !name.success) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'create-admin' });
const orm = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: 1 });
try {
  const user = await new AdminAccountService(orm.em.fork()).createOrPromote({
    email: email.data,
    name: name.data,
    password: password.data,
  });
  logger.info(
    { id: user.id, email: user.email },
    user.created ? 'admin user created' : 'existing user is now an admin',
  );
} finally {
  await orm.close();
}
