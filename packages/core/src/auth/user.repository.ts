import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '@lapak/contracts';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  created_at: Date | string;
  updated_at: Date | string;
}

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  role: row.role,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

/** Users; emails are unique case-insensitively (the `lower(email)` index). */
export class UserRepository {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getKysely();
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const { rows } = await sql<UserRow>`select * from users where lower(email) = lower(${email})`.execute(
      this.db,
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    const { rows } = await sql<UserRow>`select * from users where id = ${id}::uuid`.execute(this.db);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Inserts the user; null when the email is taken (also under a concurrent insert). */
  async insert(user: Omit<UserRecord, 'createdAt' | 'updatedAt'>): Promise<UserRecord | null> {
    const { rows } = await sql<UserRow>`
      insert into users (id, email, name, password_hash, role)
      values (${user.id}::uuid, ${user.email}, ${user.name}, ${user.passwordHash}, ${user.role})
      on conflict ((lower(email))) do nothing
      returning *
    `.execute(this.db);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Makes the user with this email an admin with the given name and password hash. */
  async promoteToAdmin(email: string, name: string, passwordHash: string): Promise<UserRecord | null> {
    const { rows } = await sql<UserRow>`
      update users set role = 'admin', name = ${name}, password_hash = ${passwordHash}, updated_at = now()
       where lower(email) = lower(${email})
      returning *
    `.execute(this.db);
    return rows[0] ? toRecord(rows[0]) : null;
  }
}
