import { z } from 'zod';
import { PASSWORD_MAX, Username } from '../domain/account.ts';
import { NewPassword } from '../domain/password-policy.ts';
import { ACTIONS } from '../domain/roles.ts';
import { Role } from '../../../kernel/roles.ts';
import { DEFAULT_TIME_ZONE, Locale, TimeZone } from '../../../kernel/locale.ts';

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

export const PreferencesView = z.object({
  locale: Locale.nullable().describe("the account's language; null until chosen (the page then follows the browser)"),
  timeZone: z.string().describe(`the zone times are shown in: the account's choice, else ${DEFAULT_TIME_ZONE}`),
  timeZoneChosen: z.boolean().describe('false while the zone is the default'),
});

export type PreferencesView = z.infer<typeof PreferencesView>;

export const MeResponse = z.object({
  user: UserRef,
  expiresAt: z.number().int(),
  permissions: z.array(z.enum(ACTIONS as [string, ...string[]])),
  preferences: PreferencesView,
});

/** The header's language switch and the account's time zone; null clears a choice. */
export const PreferencesChange = z
  .object({ locale: Locale.nullable().optional(), timeZone: TimeZone.nullable().optional() })
  .strict()
  .refine((p) => p.locale !== undefined || p.timeZone !== undefined, { message: 'name locale, timeZone or both' });

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
