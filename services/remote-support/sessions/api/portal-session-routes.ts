import { IdParams } from '../../../kernel/common-schemas.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import { tenantOf } from '../../../kernel/tenant.ts';
import { PortalJoinView, PortalSessionList } from './portal-session-schemas.ts';
import { customerPageUrl, type SessionRouteDeps } from './session-routes.ts';

/*
 * Remote-guidance sessions in the customer portal. A session shows once an engineer invited
 * the customer ("Create customer link") on one of the organisation's boxes; joining mints the
 * account its own customer link and answers the customer page. The organisation comes from
 * the signed-in account (tenantOf), and the store filters by it in the query.
 */

const defineRoute = routesFor<SessionRouteDeps>();

export const portalSessionRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/portal/sessions',
    summary: "Remote-guidance sessions on the organisation's boxes that its people were invited to",
    tag: 'portal',
    access: 'portal:use',
    response: PortalSessionList,
    handler: async ({ user, deps }) => ({ sessions: await deps.sessions.portalList(tenantOf(user)) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/portal/sessions/:id/join',
    summary: 'Joins an invited session: a fresh customer link named after the account, answered as the customer page URL',
    tag: 'portal',
    access: 'portal:use',
    params: IdParams,
    response: PortalJoinView,
    errors: ['SESSION_NOT_FOUND', 'SESSION_ENDED'],
    handler: async ({ params, user, req, deps }) => {
      const link = await deps.sessions.portalJoin(params.id, tenantOf(user), { username: user.username, role: user.role });
      return { url: customerPageUrl(req, link), expiresAt: link.expiresAt };
    },
  }),
];
