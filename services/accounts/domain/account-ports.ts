import type { NewUser, SessionUser, User, UserWithHash } from './account.ts';

export type CreateUserResult = { ok: true; user: User } | { ok: false; error: { code: 'USER_EXISTS'; username: string } };

/** Support-engineer accounts. Implemented for SQLite in store/sqlite-user-store.ts. */
export interface UserStore {
  /** Hashes the password; a taken username is a value, not a throw. */
  create(input: NewUser, now: number): Promise<CreateUserResult>;
  findByUsername(username: string): Promise<UserWithHash | null>;
  list(): Promise<User[]>;
  count(): Promise<number>;
}

/** Login sessions, keyed by a hash of the bearer token so a leaked table grants nothing. */
export interface SessionStore {
  /** Answers the token, which is shown once and never stored. */
  create(userId: number, now: number): Promise<{ token: string; expiresAt: number }>;
  /** Null when unknown, expired or the account is disabled. */
  lookup(token: string, now: number): Promise<SessionUser | null>;
  revoke(tokenHash: string): Promise<void>;
}
