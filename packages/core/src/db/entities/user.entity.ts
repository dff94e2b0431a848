import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { roles } from '@lapak/contracts';
import { rowProperties } from './row-properties';

/** A customer or admin; the email is unique whatever its case. */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    ...rowProperties(),
    email: p.text(),
    name: p.text(),
    passwordHash: p.text().hidden(),
    role: p.enum(roles).default('customer'),
  },
  uniques: [
    { name: 'users_email_key', expression: 'create unique index users_email_key on users (lower(email))' },
  ],
});

export type User = InferEntity<typeof User>;
