import { AppError } from '../../http/app-error.ts';
import { defineRoute } from '../../http/route.ts';
import { NewUser } from '../domain/account.ts';
import { UserList, UserView } from './account-schemas.ts';

export const userRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/users',
    summary: 'Create a support-engineer account',
    tag: 'users',
    access: 'users:manage',
    body: NewUser,
    status: 201,
    response: UserView,
    errors: ['USER_EXISTS'],
    async handler({ body, deps, services, user }) {
      const result = await services.users.create(body, deps.clock());
      if (!result.ok) throw new AppError('USER_EXISTS', { username: result.error.username });
      deps.logger.info({ username: body.username, role: body.role, by: user.username }, 'user created');
      return result.user;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/users',
    summary: 'List support-engineer accounts',
    tag: 'users',
    access: 'users:manage',
    response: UserList,
    async handler({ services }) {
      return { users: await services.users.list() };
    },
  }),
];
