import { z } from 'zod';
import { PASSWORD_MAX, Username } from '../domain/account.ts';
import { NewPassword } from '../domain/password-policy.ts';
import { ACTIONS } from '../domain/roles.ts';
import { Role } from '../../../kernel/roles.ts';

// Login does not enforce the account rules (length, charset): it must not tell a guesser
// which usernames could exist.
export const LoginRequest = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(PASSWORD_MAX) }).strict();

export const UserRef = z.object({
  username: z.string(),
  role: Role,
  organisationId: z.number().int().nullable().describe("a customer account's organisation; null for staff"),
});

export const LoginResponse = z.object({
  token: z.string().describe('Send as `Authorization: Bearer <token>`; the same value is set as the session cookie'),
  user: UserRef,
  expiresAt: z.number().int().describe('epoch milliseconds'),
});

export const MeResponse = z.object({
  user: UserRef,
  expiresAt: z.number().int(),
  permissions: z.array(z.enum(ACTIONS as [string, ...string[]])),
});

export const UserView = z.object({
  username: z.string(),
  role: Role,
  enabled: z.boolean(),
  createdAt: z.number().int(),
});

export const UserList = z.object({ users: z.array(UserView) });

export const UsernameParams = z.object({ username: Username });

export const PasswordChange = z
  .object({
    currentPassword: z.string().min(1).max(PASSWORD_MAX),
    newPassword: NewPassword.describe('checked for length and guessability; PASSWORD_TOO_WEAK carries the reasons'),
  })
  .strict();

export const PasswordReset = z
  .object({ newPassword: NewPassword.describe("the account's new password, passed on by the admin; checked like any new password") })
  .strict();
