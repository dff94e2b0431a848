import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../db/ids';
import { hashPassword } from './password';
import { UserRepository } from './user.repository';

export interface AdminAccount {
  email: string;
  name: string;
  password: string;
}

/** Admin users made from the command line or the demo set-up (never over HTTP). */
export class AdminAccountService {
  private readonly users: UserRepository;

  constructor(em: EntityManager) {
    this.users = new UserRepository(em);
  }

  /**
   * Creates the admin, or makes the user with that email an admin with this name and password.
   * Says which it did.
   */
  async createOrPromote(account: AdminAccount): Promise<{ id: string; email: string; created: boolean }> {
    const passwordHash = await hashPassword(account.password);
    const created = await this.users.insert({
      id: newId(),
      email: account.email,
      name: account.name,
      passwordHash,
      role: 'admin',
    });
    const user = created ?? (await this.users.promoteToAdmin(account.email, account.name, passwordHash));
    if (!user) throw new Error(`no user ${account.email} to promote`);
    return { id: user.id, email: user.email, created: created !== null };
  }

  /** Creates the admin unless a user with that email exists (then leaves it as it is). */
  async createIfMissing(account: AdminAccount): Promise<boolean> {
    if (await this.users.findByEmail(account.email)) return false;
    await this.users.insert({
      id: newId(),
      email: account.email,
      name: account.name,
      passwordHash: await hashPassword(account.password),
      role: 'admin',
    });
    return true;
  }
}
