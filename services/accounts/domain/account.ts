import { z } from 'zod';
import { Role } from './roles.ts';

// Lower-case only, so `Admin` and `admin` can never be two accounts.
export const Username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'username: 3-64 lower-case letters, digits, . _ -');

/** Upper bound keeps a login request from feeding scrypt megabytes of input. */
export const PASSWORD_MAX = 1024;
export const Password = z.string().min(10, 'password: at least 10 characters').max(PASSWORD_MAX);

/** What an admin enters to create a support-engineer account. */
export const NewUser = z.object({ username: Username, password: Password, role: Role }).strict();
export type NewUser = z.infer<typeof NewUser>;

export interface User {
  id: number;
  username: string;
  role: Role;
  enabled: boolean;
  createdAt: number;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

/** The account behind a valid session token. */
export interface SessionUser {
  userId: number;
  username: string;
  role: Role;
  expiresAt: number;
  /** sha256 of the token, the key of the sessions row. */
  tokenHash: string;
}
