import { z } from 'zod';
import { requestOrigin } from '../../../kernel/request-origin.ts';
import type { SessionUser } from '../../../platform/accounts/index.ts';
import { IdParams } from '../../../kernel/common-schemas.ts';
import { arrayPage, beforeIdOf, DEFAULT_PAGE, NEXT_CURSOR_HEADER_DOC } from '../../../kernel/page-cursor.ts';
import { routesFor, type RouteRequest } from '../../../kernel/route-definition.ts';
import type { SessionLifecycle } from '../session-lifecycle.ts';
import type { SessionActor } from '../domain/remote-session.ts';
import {
  DEFAULT_TIMELINE_PART,
  LinkView,
  NewLinkBody,
  NewSessionBody,
  OutcomeBody,
  SessionDetail,
  SessionDetailQuery,
  SessionQuery,
  SessionView,
} from './session-schemas.ts';

/** What the remote-guidance session routes need. */
export interface SessionRouteDeps {
  sessions: SessionLifecycle;
}

const defineRoute = routesFor<SessionRouteDeps>();

// The session records who acted by name and role; the rest of the login stays out of it.
const actor = (user: SessionUser): SessionActor => ({ username: user.username, role: user.role });

/** The page a customer opens (dashboard/customer.html), as seen from the browser that asked. */
export const CUSTOMER_PAGE = '/customer.html';

/**
 * The customer page's address on the origin the request came to (the trusted proxy's
 * forwarded scheme and host behind TRUST_PROXY). The token goes in the fragment: browsers
 * send neither it to the server nor in a Referer, so no access log or third party sees it.
 */
export function customerPageUrl(req: RouteRequest, link: { token: string; sessionId: number }): string {
  const fragment = new URLSearchParams({ link: link.token, session: String(link.sessionId) });
  return `${requestOrigin(req)}${CUSTOMER_PAGE}#${fragment}`;
}

export const sessionRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/sessions',
    summary: 'Opens a remote-guidance session on a box: active in support hours, else queued with its place in line',
    tag: 'sessions',
    access: 'sessions:write',
    body: NewSessionBody,
    status: 201,
    response: SessionDetail,
    errors: ['DEVICE_NOT_FOUND', 'CASE_NOT_FOUND', 'SESSION_CASE_UNUSABLE', 'SESSION_ALREADY_OPEN'],
    handler: ({ body, user, deps }) => deps.sessions.open(body, actor(user)),
  }),
  defineRoute({
    method: 'get',
    path: '/api/sessions',
    summary: 'Remote-guidance sessions, newest first, filtered by box or state, a page of `limit` (default 100) at a time',
    tag: 'sessions',
    access: 'aftersales:read',
    query: SessionQuery,
    response: z.array(SessionView).describe('newest first; every filter applies before paging, so a page is full unless it is the last'),
    responseHeaders: NEXT_CURSOR_HEADER_DOC,
    async handler({ query, deps, res }) {
      const limit = query.limit ?? DEFAULT_PAGE;
      const sessions = await deps.sessions.list({
        ...(query.serial ? { serial: query.serial } : {}),
        ...(query.state ? { state: query.state } : {}),
        ...beforeIdOf(query.cursor),
        limit: limit + 1,
      });
      return arrayPage(res, sessions, limit, (s) => s.id);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/sessions/:id',
    summary: 'One session with its participants, timeline (a part of it at a time for long sessions: `afterSeq`, `limit`) and commands',
    tag: 'sessions',
    access: 'aftersales:read',
    params: IdParams,
    query: SessionDetailQuery,
    response: SessionDetail,
    errors: ['SESSION_NOT_FOUND'],
    handler: ({ params, query, deps }) =>
      deps.sessions.get(params.id, { afterSeq: query.afterSeq ?? 0, limit: query.limit ?? DEFAULT_TIMELINE_PART }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/sessions/:id/start',
    summary: 'Starts a queued session now, also outside support hours',
    tag: 'sessions',
    access: 'sessions:write',
    params: IdParams,
    response: SessionDetail,
    errors: ['SESSION_NOT_FOUND', 'SESSION_INVALID_TRANSITION'],
    handler: ({ params, user, deps }) => deps.sessions.start(params.id, actor(user)),
  }),
  defineRoute({
    method: 'post',
    path: '/api/sessions/:id/outcome',
    summary: 'Ends a session: resolved-remotely, abandoned, or escalated (opens the RMA ticket with the timeline; see ticketId)',
    tag: 'sessions',
    access: 'sessions:write',
    params: IdParams,
    body: OutcomeBody,
    response: SessionDetail,
    errors: ['SESSION_NOT_FOUND', 'SESSION_INVALID_TRANSITION', 'CASE_INVALID_TRANSITION', 'DEVICE_NOT_FOUND', 'RMA_FORBIDDEN'],
    handler: ({ params, body, user, deps }) => deps.sessions.end(params.id, body, actor(user)),
  }),
  defineRoute({
    method: 'post',
    path: '/api/sessions/:id/links',
    summary: 'Creates a one-time customer link: viewing and chat in this session only; the token and the customer page `url` are shown once',
    tag: 'sessions',
    access: 'sessions:write',
    params: IdParams,
    body: NewLinkBody,
    status: 201,
    response: LinkView,
    errors: ['SESSION_NOT_FOUND', 'SESSION_ENDED'],
    handler: async ({ params, body, user, req, deps }) => {
      const link = await deps.sessions.createLink(params.id, body, actor(user));
      return { ...link, url: customerPageUrl(req, link) };
    },
  }),
];
