import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { roles } from '@lapak/contracts';

/** A customer or admin; the email is unique whatever its case. */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    email: p.text(),
    name: p.text(),
    passwordHash: p.text().hidden(),
    role: p.enum(roles).default('customer'),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
  uniques: [
    { name: 'users_email_key', expression: 'create unique index users_email_key on users (lower(email))' },
  ],
});

export type User = InferEntity<typeof User>;
