import { IdParams } from '../../../kernel/common-schemas.ts';
import { beforeIdOf, DEFAULT_PAGE, pageOf } from '../../../kernel/page-cursor.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import { tenantOf } from '../../../kernel/tenant.ts';
import { PortalPlatformTicket, portalViewOf } from '../domain/portal-view.ts';
import type { PlatformRouteDeps } from './platform-routes.ts';
import { PortalFeedbackBody, PortalFormDefaults, PortalNotFixedBody, PortalPlatformPage, PortalPlatformQuery } from './portal-platform-schemas.ts';

/*
 * The customer's side of platform maintenance: the BUG Feedback Form, following it, and
 * answering whether the repair fixed it. The organisation always comes from the signed-in
 * account (tenantOf), never from the request; another organisation's ticket answers
 * PLATFORM_TICKET_NOT_FOUND exactly like a missing one. A program (the PMS) uses the same
 * routes with a customer account's bearer token.
 */

const defineRoute = routesFor<PlatformRouteDeps>();

const NOT_FOUND_ONLY = ['PLATFORM_TICKET_NOT_FOUND'] as const;
const ANSWER_ERRORS = ['PLATFORM_TICKET_NOT_FOUND', 'PLATFORM_TICKET_INVALID_TRANSITION', 'PLATFORM_TICKET_FORBIDDEN'] as const;

export const portalPlatformRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/portal/platform-tickets/form-defaults',
    summary: "What the customer's BUG Feedback Form starts from: the organisation as project, the account as reporter, its first contact",
    tag: 'portal',
    access: 'portal:use',
    response: PortalFormDefaults,
    handler: ({ user, deps }) => {
      const tenant = tenantOf(user);
      return deps.platform.formDefaults(tenant.kind === 'organisation' ? tenant.organisationId : -1, user.username);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/portal/platform-tickets',
    summary: "Submits the customer's BUG Feedback Form for the MTIC platform: it reaches after-sales' platform queue",
    tag: 'portal',
    access: 'portal:use',
    body: PortalFeedbackBody,
    status: 201,
    localized: true,
    response: PortalPlatformTicket,
    errors: ['PLATFORM_TICKET_PAYLOAD_INVALID'],
    handler: async ({ body, user, deps, locale }) => {
      const v = await deps.platform.submit(body.form, user, tenantOf(user));
      return portalViewOf(v.id, v.ticket, locale);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/portal/platform-tickets',
    summary: "The organisation's platform tickets, newest first, a page of `limit` (default 100) at a time",
    tag: 'portal',
    access: 'portal:use',
    query: PortalPlatformQuery,
    localized: true,
    response: PortalPlatformPage,
    async handler({ query, user, deps, locale }) {
      const limit = query.limit ?? DEFAULT_PAGE;
      const views = await deps.platform.list({ ...beforeIdOf(query.cursor), limit: limit + 1 }, tenantOf(user));
      const { page, nextCursor } = pageOf(views, limit, (v) => v.id);
      return { tickets: page.map((v) => portalViewOf(v.id, v.ticket, locale)), nextCursor };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/portal/platform-tickets/:id',
    summary: "One of the organisation's platform tickets: the form, where it stands, the agreed repair time",
    tag: 'portal',
    access: 'portal:use',
    params: IdParams,
    localized: true,
    response: PortalPlatformTicket,
    errors: NOT_FOUND_ONLY,
    handler: async ({ params, user, deps, locale }) => {
      const v = await deps.platform.get(params.id, tenantOf(user));
      return portalViewOf(v.id, v.ticket, locale);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/portal/platform-tickets/:id/confirm-fixed',
    summary: 'The customer confirms the resolved problem is fixed: the ticket closes',
    tag: 'portal',
    access: 'portal:use',
    params: IdParams,
    localized: true,
    response: PortalPlatformTicket,
    errors: ANSWER_ERRORS,
    handler: async ({ params, user, deps, locale }) => {
      const v = await deps.platform.transition(params.id, { to: 'closed', reason: 'the customer confirmed it is fixed' }, user, tenantOf(user));
      return portalViewOf(v.id, v.ticket, locale);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/portal/platform-tickets/:id/not-fixed',
    summary: 'The customer says the resolved problem is not fixed: a new repair round, as long as the last one was agreed to take',
    tag: 'portal',
    access: 'portal:use',
    params: IdParams,
    body: PortalNotFixedBody,
    localized: true,
    response: PortalPlatformTicket,
    errors: [...ANSWER_ERRORS, 'PLATFORM_TICKET_PAYLOAD_INVALID'],
    handler: async ({ params, body, user, deps, locale }) => {
      const command = { to: 'repairing' as const, reason: body.reason, payload: { customerReport: body.reason } };
      const v = await deps.platform.transition(params.id, command, user, tenantOf(user));
      return portalViewOf(v.id, v.ticket, locale);
    },
  }),
];
