import { z } from 'zod';
import { NewPassword } from './password-policy.ts';
import { StaffRole, type Role } from '../../../kernel/roles.ts';
import type { Preferences } from '../../../kernel/locale.ts';

// Lower-case only, so `Admin` and `admin` can never be two accounts.
export const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'username: 3-64 lower-case letters, digits, . _ -');

/** The first account, created on an empty database (bootstrap-admin.ts). */
export const BOOTSTRAP_USERNAME = 'admin';

/**
 * Upper bound of a password presented (login, current password): it keeps a request from
 * feeding scrypt megabytes of input. New passwords have their own, lower one (password-policy.ts).
 */
export const PASSWORD_MAX = 1024;

/**
 * What an admin enters to create a staff account; the password's strength is checked after.
 * Customer accounts are not created this way: after-sales invites them into their organisation.
 */
export const NewUser = z.object({ username: Username, password: NewPassword, role: StaffRole }).strict();
export type NewUser = z.infer<typeof NewUser>;

/** What the store creates: a staff account, or a customer account bound to its organisation. */
export type NewAccount = { username: string; password: string } & (
  | { role: StaffRole; organisationId?: null }
  | { role: 'customer'; organisationId: number }
);

export interface User {
  id: number;
  username: string;
  role: Role;
  enabled: boolean;
  createdAt: number;
  /** The customer's organisation; null for staff. */
  organisationId: number | null;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

/** The account behind a valid session token. */
export interface SessionUser {
  userId: number;
  username: string;
  role: Role;
  /** The customer's organisation; null for staff (kernel/tenant.ts turns this into what they may see). */
  organisationId: number | null;
  expiresAt: number;
  /** The language and time zone the account chose in the header's switch. */
  preferences: Preferences;
  /** sha256 of the token, the key of the sessions row. */
  tokenHash: string;
}
