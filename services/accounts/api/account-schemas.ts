import { z } from 'zod';
import { PASSWORD_MAX } from '../domain/account.ts';
import { ACTIONS, Role } from '../domain/roles.ts';

// Login does not enforce the account rules (length, charset): it must not tell a guesser
// which usernames could exist.
export const LoginRequest = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(PASSWORD_MAX) })
  .strict();

export const UserRef = z.object({ username: z.string(), role: Role });

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
