import type { AccountRuleResult } from './account-rules.ts';
import type { NewAccount, SessionUser, User, UserWithHash } from './account.ts';
import type { Invitation, InvitationRefusal } from './invitation.ts';
import type { Preferences } from '../../../kernel/locale.ts';

export type CreateUserResult = { ok: true; user: User } | { ok: false; error: { code: 'USER_EXISTS'; username: string } };

type RuleError = Extract<AccountRuleResult, { ok: false }>['error'];
export type UserChangeResult = { ok: true; user: User } | { ok: false; error: RuleError | { code: 'USER_NOT_FOUND'; username: string } };

/** Support-engineer accounts. Implemented for SQLite in store/user-store.ts. */
export interface UserStore {
  /** Hashes the password; a taken username is a value, not a throw. */
  create(input: NewAccount, now: number): Promise<CreateUserResult>;
  findByUsername(username: string): Promise<UserWithHash | null>;
  list(): Promise<User[]>;
  count(): Promise<number>;
  /** Hashes and stores a new password; sessions are the caller's business. */
  setPassword(userId: number, password: string): Promise<void>;
  /** Stores the fields given; an absent field keeps its value, null clears it. */
  setPreferences(userId: number, preferences: Partial<Preferences>): Promise<void>;
  /**
   * Disables an account and deletes all its sessions in one transaction, per checkDisable
   * (account-rules.ts); enabling it later does not bring those sessions back.
   */
  disable(username: string, actorId: number): Promise<UserChangeResult>;
  enable(username: string): Promise<UserChangeResult>;
}

/** Login sessions, keyed by a hash of the bearer token so a leaked table grants nothing. */
export interface SessionStore {
  /** Answers the token, which is shown once and never stored. */
  create(userId: number, now: number): Promise<{ token: string; expiresAt: number }>;
  /** Null when unknown, expired or the account is disabled. */
  lookup(token: string, now: number): Promise<SessionUser | null>;
  revoke(tokenHash: string): Promise<void>;
  /** Ends every session of an account but `exceptTokenHash` (the caller's own); answers how many. */
  revokeAllOf(userId: number, exceptTokenHash?: string): Promise<number>;
}

export type AcceptInvitationResult =
  | { ok: true; user: User }
  | { ok: false; error: { code: 'INVITATION_INVALID'; reason: InvitationRefusal } | { code: 'USER_EXISTS'; username: string } };

/** One-time invitation URLs for customer accounts, keyed by a hash of the token. */
export interface InvitationStore {
  /** Answers the token, shown once (in the URL) and never stored. */
  create(input: Omit<Invitation, 'createdAt' | 'expiresAt' | 'acceptedAt'>, now: number): Promise<{ token: string; expiresAt: number }>;
  find(token: string): Promise<Invitation | null>;
  /** Creates the customer account and marks the invitation used, in one transaction: a URL works once. */
  accept(token: string, password: string, now: number): Promise<AcceptInvitationResult>;
  /** The invitations of an organisation not accepted yet, newest first. */
  pending(organisationId: number, now: number): Promise<Invitation[]>;
}
