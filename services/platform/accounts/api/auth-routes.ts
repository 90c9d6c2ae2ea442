import { hashSecret, SCRYPT_COST, verifySecret, generateSecret } from '../../security/index.ts';
import { AppError } from '../../../kernel/app-error.ts';
import { clearSessionCookie, setSessionCookie } from '../../http/index.ts';
import { type RouteRequest, routesFor } from '../../../kernel/route-definition.ts';
import type { AccountRouteDeps } from './account-route-deps.ts';
import { permissionsOf } from '../domain/roles.ts';
import { LoginRequest, LoginResponse, MeResponse, PasswordChange, PreferencesChange, PreferencesView } from './account-schemas.ts';
import { DEFAULT_TIME_ZONE, type Preferences } from '../../../kernel/locale.ts';
import { requireStrongPassword } from './password-check.ts';

const defineRoute = routesFor<AccountRouteDeps>();

const HOUR_MS = 3_600_000;

// Verified against when the username is unknown, so that answer takes as long as a wrong
// password and response time does not reveal which accounts exist.
let decoyHash: Promise<string> | undefined;
function decoy(): Promise<string> {
  decoyHash ??= hashSecret(generateSecret(), SCRYPT_COST.password);
  return decoyHash;
}

/** Failed logins and wrong current passwords count together, per account and client address. */
function throttleKey(username: string, req: RouteRequest): string {
  // With TRUST_PROXY set, req.ip is the client's address from X-Forwarded-For, not the proxy's.
  return `${username.toLowerCase()}|${req.ip ?? req.socket.remoteAddress ?? ''}`;
}

function preferencesView({ locale, timeZone }: Preferences): PreferencesView {
  return { locale, timeZone: timeZone ?? DEFAULT_TIME_ZONE, timeZoneChosen: timeZone !== null };
}

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in; answers a bearer token and sets the HttpOnly session cookie',
    tag: 'auth',
    access: 'public',
    body: LoginRequest,
    response: LoginResponse,
    errors: ['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'],
    async handler({ body, deps, req, res }) {
      const now = deps.clock();
      const key = throttleKey(body.username, req);
      const verdict = deps.loginThrottle.check(key, now);
      if (!verdict.allowed) throw new AppError('TOO_MANY_ATTEMPTS', { retryAfterS: Math.ceil(verdict.retryAfterMs / 1000) });

      const user = await deps.users.findByUsername(body.username);
      const valid = await verifySecret(body.password, user?.passwordHash ?? (await decoy()));
      // Same answer for an unknown user, a wrong password and a disabled account.
      if (!user || !valid || !user.enabled) {
        deps.loginThrottle.recordFailure(key, now);
        throw new AppError('INVALID_CREDENTIALS');
      }
      deps.loginThrottle.recordSuccess(key);

      const ttlMs = deps.config.SESSION_TTL_H * HOUR_MS;
      const { token, expiresAt } = await deps.sessions.create(user.id, now);
      setSessionCookie(req, res, token, ttlMs);
      deps.logger.info({ username: user.username }, 'user signed in');
      return { token, user: { username: user.username, role: user.role, organisationId: user.organisationId }, expiresAt };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/logout',
    summary: 'End the current session (the token stops working) and clear the cookie',
    tag: 'auth',
    access: 'session',
    status: 204,
    async handler({ user, deps, req, res }) {
      await deps.sessions.revoke(user.tokenHash);
      clearSessionCookie(req, res);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/auth/me',
    summary: 'The signed-in account, its session expiry and what its role may do',
    tag: 'auth',
    access: 'session',
    response: MeResponse,
    async handler({ user }) {
      return {
        user: { username: user.username, role: user.role, organisationId: user.organisationId },
        expiresAt: user.expiresAt,
        permissions: permissionsOf(user.role),
        preferences: preferencesView(user.preferences),
      };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/auth/me/preferences',
    summary: 'Change your own language and/or time zone; every later sign-in, on any browser, uses them',
    tag: 'auth',
    access: 'session',
    body: PreferencesChange,
    response: PreferencesView,
    async handler({ body, deps, user }) {
      await deps.users.setPreferences(user.userId, body);
      return preferencesView({
        locale: body.locale === undefined ? user.preferences.locale : body.locale,
        timeZone: body.timeZone === undefined ? user.preferences.timeZone : body.timeZone,
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/password',
    summary: 'Change your own password; needs the current one; your other sessions end, this one stays',
    tag: 'auth',
    access: 'session',
    body: PasswordChange,
    status: 204,
    errors: ['CURRENT_PASSWORD_INVALID', 'PASSWORD_TOO_WEAK', 'TOO_MANY_ATTEMPTS'],
    async handler({ body, deps, user, req }) {
      const now = deps.clock();
      // A stolen session must not become a way to guess the password without the login throttle.
      const key = throttleKey(user.username, req);
      const verdict = deps.loginThrottle.check(key, now);
      if (!verdict.allowed) throw new AppError('TOO_MANY_ATTEMPTS', { retryAfterS: Math.ceil(verdict.retryAfterMs / 1000) });
      const account = await deps.users.findByUsername(user.username);
      if (!account || !(await verifySecret(body.currentPassword, account.passwordHash))) {
        deps.loginThrottle.recordFailure(key, now);
        throw new AppError('CURRENT_PASSWORD_INVALID');
      }
      requireStrongPassword(body.newPassword, account.username);
      await deps.users.setPassword(account.id, body.newPassword);
      const revoked = await deps.sessions.revokeAllOf(account.id, user.tokenHash);
      deps.logger.info({ username: account.username, sessionsEnded: revoked }, 'user changed their password');
      deps.onSessionsRevoked?.(account.id);
    },
  }),
];
