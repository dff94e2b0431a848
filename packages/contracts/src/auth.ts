import { z } from 'zod';
import { idSchema, text, timestamps } from './common';

export const roles = ['customer', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Emails are compared case-insensitively and stored lowercased. */
export const emailSchema = z
  .email({ error: 'must be an email address' })
  .max(254, 'must be at most 254 characters')
  .transform((email) => email.toLowerCase());

/** At least 8 characters; at most 256 so hashing stays cheap. */
export const passwordSchema = z
  .string({ error: 'must be a string' })
  .min(8, 'must be at least 8 characters')
  .max(256, 'must be at most 256 characters')
  .refine((value) => value.isWellFormed(), 'must be valid Unicode');

export const registerSchema = z
  .strictObject({ email: emailSchema, password: passwordSchema, name: text(120) })
  .meta({ id: 'Register' });

export const loginSchema = z
  .strictObject({
    email: emailSchema,
    password: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(256),
  })
  .meta({ id: 'Login' });

export const userSchema = z
  .object({
    id: idSchema,
    email: z.string(),
    name: z.string(),
    role: z.enum(roles),
    ...timestamps,
  })
  .meta({ id: 'User' });

export const authResultSchema = z
  .object({
    user: userSchema,
    token: z.string().meta({ description: 'A JWT to send as `Authorization: Bearer <token>`' }),
  })
  .meta({ id: 'AuthResult' });

export const meSchema = z.object({ user: userSchema }).meta({ id: 'Me' });

export type Register = z.infer<typeof registerSchema>;
export type Login = z.infer<typeof loginSchema>;
export type UserDto = z.infer<typeof userSchema>;
export type AuthResult = z.infer<typeof authResultSchema>;
