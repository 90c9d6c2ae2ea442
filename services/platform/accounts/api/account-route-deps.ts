import type { Clock } from '../../../kernel/clock.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import type { InvitationStore, SessionStore, UserStore } from '../domain/account-ports.ts';

/** Failed logins per account and address (platform/security/failure-throttle.ts fits). */
export interface LoginThrottle {
  check(key: string, now: number): { allowed: true } | { allowed: false; retryAfterMs: number };
  recordFailure(key: string, now: number): void;
  recordSuccess(key: string): void;
}

/** What the sign-in and account routes need. */
export interface AccountRouteDeps {
  config: Pick<Config, 'SESSION_TTL_H'>;
  clock: Clock;
  logger: Logger;
  users: UserStore;
  sessions: SessionStore;
  loginThrottle: LoginThrottle;
  invitations: InvitationStore;
  /** The name an invitation shows its holder; accounts knows organisations by id only. */
  organisationName(id: number): Promise<string | null>;
  /**
   * Called after sessions of an account were ended (account disabled, password changed or
   * reset): its live socket.io connections must re-check their session now, not at their
   * next event.
   */
  onSessionsRevoked?: (userId: number) => void;
}
