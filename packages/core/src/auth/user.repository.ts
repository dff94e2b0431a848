import { expressionBuilder, type ExpressionBuilder, type Selectable } from 'kysely';
import type { Role } from '@lapak/contracts';
import type { Database } from '../db/database';
import { KyselyRepository } from '../db/kysely-repository';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

type UserRow = Selectable<Database['users']>;

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  role: row.role,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** `lower(email)`: the expression users_email_key is built on, so lookups and conflicts use it. */
const lowerEmail = (eb: ExpressionBuilder<Database, 'users'>) => eb.fn<string>('lower', ['email']);

/** Users; emails are unique case-insensitively (the `lower(email)` index). */
export class UserRepository extends KyselyRepository {
  async findByEmail(email: string): Promise<UserRecord | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(lowerEmail(eb), '=', eb.fn<string>('lower', [eb.val(email)])))
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Inserts the user; null when the email is taken (also under a concurrent insert). */
  async insert(user: Omit<UserRecord, 'createdAt' | 'updatedAt'>): Promise<UserRecord | null> {
    const row = await this.db
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email,
        name: user.name,
        password_hash: user.passwordHash,
        role: user.role,
      })
      .onConflict((oc) => oc.expression(lowerEmail(expressionBuilder<Database, 'users'>())).doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Makes the user with this email an admin with the given name and password hash. */
  async promoteToAdmin(email: string, name: string, passwordHash: string): Promise<UserRecord | null> {
    const row = await this.db
      .updateTable('users')
      .set((eb) => ({ role: 'admin', name, password_hash: passwordHash, updated_at: eb.fn('now') }))
      .where((eb) => eb(lowerEmail(eb), '=', eb.fn<string>('lower', [eb.val(email)])))
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }
}
