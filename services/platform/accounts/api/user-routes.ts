import { AppError } from '../../../kernel/app-error.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import type { AccountRouteDeps } from './account-route-deps.ts';
import type { UserChangeResult } from '../domain/account-ports.ts';
import { checkPasswordReset } from '../domain/account-rules.ts';
import { NewUser, type User } from '../domain/account.ts';
import { PasswordReset, UserList, UsernameParams, UserView } from './account-schemas.ts';
import { requireStrongPassword } from './password-check.ts';

const defineRoute = routesFor<AccountRouteDeps>();

function userOrThrow(result: UserChangeResult): User {
  if (!result.ok) throw new AppError(result.error.code, { username: result.error.username });
  return result.user;
}

export const userRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/users',
    summary: 'Create a support-engineer account; the password must pass the password policy',
    tag: 'users',
    access: 'users:manage',
    body: NewUser,
    status: 201,
    response: UserView,
    errors: ['USER_EXISTS', 'PASSWORD_TOO_WEAK'],
    async handler({ body, deps, user }) {
      requireStrongPassword(body.password, body.username);
      const result = await deps.users.create(body, deps.clock());
      if (!result.ok) throw new AppError('USER_EXISTS', { username: result.error.username });
      deps.logger.info({ username: body.username, role: body.role, by: user.username }, 'user created');
      return result.user;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/users',
    summary: 'List support-engineer accounts, enabled and disabled',
    tag: 'users',
    access: 'users:manage',
    response: UserList,
    async handler({ deps }) {
      return { users: await deps.users.list() };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/users/:username/disable',
    summary: 'Disable an account: it cannot sign in, and its sessions and live connections end at once',
    tag: 'users',
    access: 'users:disable',
    params: UsernameParams,
    response: UserView,
    errors: ['USER_NOT_FOUND', 'CANNOT_DISABLE_SELF', 'LAST_ENABLED_ADMIN'],
    async handler({ params, deps, user }) {
      const disabled = userOrThrow(await deps.users.disable(params.username, user.userId));
      deps.logger.info({ username: disabled.username, by: user.username }, 'user disabled');
      // The sessions are gone from the table; sockets only look at it on their next event.
      deps.onSessionsRevoked?.(disabled.id);
      return disabled;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/users/:username/enable',
    summary: 'Enable a disabled account again; it signs in anew (its old sessions stay ended)',
    tag: 'users',
    access: 'users:disable',
    params: UsernameParams,
    response: UserView,
    errors: ['USER_NOT_FOUND'],
    async handler({ params, deps, user }) {
      const enabled = userOrThrow(await deps.users.enable(params.username));
      deps.logger.info({ username: enabled.username, by: user.username }, 'user enabled');
      return enabled;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/users/:username/password-reset',
    summary: "Set another account's password (e.g. a forgotten one) and end all its sessions",
    tag: 'users',
    access: 'users:reset-password',
    params: UsernameParams,
    body: PasswordReset,
    status: 204,
    errors: ['USER_NOT_FOUND', 'CANNOT_RESET_OWN_PASSWORD', 'PASSWORD_TOO_WEAK'],
    async handler({ params, body, deps, user }) {
      const target = await deps.users.findByUsername(params.username);
      if (!target) throw new AppError('USER_NOT_FOUND', { username: params.username });
      const allowed = checkPasswordReset({ actorId: user.userId, target });
      if (!allowed.ok) throw new AppError(allowed.error.code, { username: allowed.error.username });
      requireStrongPassword(body.newPassword, target.username);
      await deps.users.setPassword(target.id, body.newPassword);
      const revoked = await deps.sessions.revokeAllOf(target.id);
      deps.logger.info({ username: target.username, by: user.username, sessionsEnded: revoked }, 'user password reset');
      deps.onSessionsRevoked?.(target.id);
    },
  }),
];
