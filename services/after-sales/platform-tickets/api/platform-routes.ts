import { z } from 'zod';
import { IdParams } from '../../../kernel/common-schemas.ts';
import { arrayPage, beforeIdOf, DEFAULT_PAGE, NEXT_CURSOR_HEADER_DOC } from '../../../kernel/page-cursor.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import type { PlatformService } from '../platform-service.ts';
import { PlatformTicketBody, PlatformTicketQuery, PlatformTicketView, PlatformTransitionBody } from './platform-schemas.ts';

/** What the platform ticket routes need. */
export interface PlatformRouteDeps {
  platform: PlatformService;
}

const defineRoute = routesFor<PlatformRouteDeps>();

export const platformRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/platform-tickets',
    summary: 'MTIC platform maintenance tickets, newest first, filtered by state, a page of `limit` (default 100) at a time',
    tag: 'platform',
    access: 'aftersales:read',
    query: PlatformTicketQuery,
    response: z.array(PlatformTicketView).describe('newest first; the state filter applies before paging, so a page is full unless it is the last'),
    responseHeaders: NEXT_CURSOR_HEADER_DOC,
    async handler({ query, deps, res }) {
      const limit = query.limit ?? DEFAULT_PAGE;
      const tickets = await deps.platform.list({ ...(query.state ? { state: query.state } : {}), ...beforeIdOf(query.cursor), limit: limit + 1 });
      return arrayPage(res, tickets, limit, (t) => t.id);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/platform-tickets/:id',
    summary: 'One platform ticket: BUG Feedback Form, scope decision, agreed repair, notifications, audit trail',
    tag: 'platform',
    access: 'aftersales:read',
    params: IdParams,
    response: PlatformTicketView,
    errors: ['PLATFORM_TICKET_NOT_FOUND'],
    handler: ({ params, deps }) => deps.platform.get(params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/api/platform-tickets',
    summary: "Opens a platform ticket from the customer's BUG Feedback Form",
    tag: 'platform',
    access: 'platform-tickets:write',
    body: PlatformTicketBody,
    status: 201,
    response: PlatformTicketView,
    errors: ['PLATFORM_TICKET_FORBIDDEN', 'PLATFORM_TICKET_PAYLOAD_INVALID'],
    handler: ({ body, user, deps }) => deps.platform.submit(body, user),
  }),
  defineRoute({
    method: 'post',
    path: '/api/platform-tickets/:id/transitions',
    summary: 'Moves a platform ticket along one edge: confirm or refuse scope, agree the repair, resolve, close',
    tag: 'platform',
    access: 'platform-tickets:write',
    params: IdParams,
    body: PlatformTransitionBody,
    response: PlatformTicketView,
    errors: ['PLATFORM_TICKET_NOT_FOUND', 'PLATFORM_TICKET_INVALID_TRANSITION', 'PLATFORM_TICKET_FORBIDDEN', 'PLATFORM_TICKET_PAYLOAD_INVALID'],
    handler: ({ params, body, user, deps }) =>
      deps.platform.transition(params.id, { to: body.to, reason: body.reason, ...(body.payload ? { payload: body.payload } : {}) }, user),
  }),
];
