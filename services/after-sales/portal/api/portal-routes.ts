import { IdParams } from '../../../kernel/common-schemas.ts';
import { DEFAULT_PAGE, pageOf } from '../../../kernel/page-cursor.ts';
import { type RouteUser, routesFor } from '../../../kernel/route-definition.ts';
import { tenantOf } from '../../../kernel/tenant.ts';
import { SerialParams } from '../../../edge/registry/index.ts';
import type { PortalService } from '../portal-service.ts';
import {
  DecisionBody,
  NewPortalTicketBody,
  PortalDeviceDetail,
  PortalDeviceList,
  PortalDeviceQuery,
  PortalTicket,
  PortalTicketList,
  PortalTicketQuery,
  RemittanceBody,
  ShipmentBody,
} from './portal-schemas.ts';

/** What the portal routes need. */
export interface PortalRouteDeps {
  portal: PortalService;
}

const defineRoute = routesFor<PortalRouteDeps>();

/**
 * The organisation whose data the account may see, from the account alone (kernel/tenant.ts);
 * only customer accounts reach these routes, and one without an organisation matches no row.
 */
function organisationOf(user: RouteUser): number {
  const tenant = tenantOf(user);
  return tenant.kind === 'organisation' ? tenant.organisationId : -1;
}

const MOVE_ERRORS = ['RMA_NOT_FOUND', 'RMA_INVALID_TRANSITION', 'RMA_FORBIDDEN', 'RMA_PAYLOAD_INVALID'] as const;

export const portalRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/portal/devices',
    summary: "The customer's own boxes with presence and warranty (part warranties and reasons included), a page at a time in serial order",
    tag: 'portal',
    access: 'portal:use',
    query: PortalDeviceQuery,
    localized: true,
    response: PortalDeviceList,
    async handler({ query, user, deps, locale }) {
      const limit = query.limit ?? DEFAULT_PAGE;
      const devices = await deps.portal.devices(organisationOf(user), { q: query.q, afterSerial: query.cursor, limit: limit + 1 }, locale);
      const { page, nextCursor } = pageOf(devices, limit, (d) => d.serial);
      return { devices: page, nextCursor };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/portal/devices/:sn',
    summary: "One of the customer's boxes: presence, warranty, its repair requests and the Service Registration Form pre-filled for a new one",
    tag: 'portal',
    access: 'portal:use',
    params: SerialParams,
    localized: true,
    response: PortalDeviceDetail,
    errors: ['DEVICE_NOT_FOUND'],
    handler: ({ params, user, deps, locale }) => deps.portal.device(organisationOf(user), params.sn, locale),
  }),
  defineRoute({
    method: 'post',
    path: '/api/portal/tickets',
    summary: 'The customer opens a repair request by filling in the Service Registration Form for one of their boxes',
    tag: 'portal',
    access: 'portal:use',
    body: NewPortalTicketBody,
    status: 201,
    response: PortalTicket,
    errors: ['DEVICE_NOT_FOUND', 'RMA_ALREADY_OPEN', 'RMA_PAYLOAD_INVALID', 'RMA_FORBIDDEN'],
    handler: ({ body, user, deps }) => deps.portal.openTicket(organisationOf(user), body, user),
  }),
  defineRoute({
    method: 'get',
    path: '/api/portal/tickets',
    summary: "The customer's repair requests, newest first, optionally only those in progress (open=true) or finished (open=false)",
    tag: 'portal',
    access: 'portal:use',
    query: PortalTicketQuery,
    response: PortalTicketList,
    async handler({ query, user, deps }) {
      const limit = query.limit ?? DEFAULT_PAGE;
      const tickets = await deps.portal.tickets(organisationOf(user), { open: query.open, beforeId: query.cursor, limit: limit + 1 });
      const { page, nextCursor } = pageOf(tickets, limit, (t) => t.id);
      return { tickets: page, nextCursor };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/portal/tickets/:id',
    summary: 'One repair request as the customer sees it: state, deadlines, repair clock, Repair Report, money and shipping both ways',
    tag: 'portal',
    access: 'portal:use',
    params: IdParams,
    response: PortalTicket,
    errors: ['RMA_NOT_FOUND'],
    handler: ({ params, user, deps }) => deps.portal.ticket(organisationOf(user), params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/api/portal/tickets/:id/decision',
    summary: "The customer accepts or declines the Repair Report's cost (awaiting decision or postponed only)",
    tag: 'portal',
    access: 'portal:use',
    params: IdParams,
    body: DecisionBody,
    response: PortalTicket,
    errors: [...MOVE_ERRORS],
    handler: ({ params, body, user, deps }) => deps.portal.decide(organisationOf(user), params.id, body.decision, user),
  }),
  defineRoute({
    method: 'post',
    path: '/api/portal/tickets/:id/remittance',
    summary: 'The customer reports a remittance (amount and reference) while the repair awaits payment; after-sales confirms it',
    tag: 'portal',
    access: 'portal:use',
    params: IdParams,
    body: RemittanceBody,
    response: PortalTicket,
    errors: ['RMA_NOT_FOUND', 'RMA_REMITTANCE_NOT_NOW', 'RMA_FORBIDDEN', 'RMA_PAYLOAD_INVALID'],
    handler: ({ params, body, user, deps }) => deps.portal.remittance(organisationOf(user), params.id, body, user),
  }),
  defineRoute({
    method: 'post',
    path: '/api/portal/tickets/:id/shipment',
    summary: 'The customer shipped the box to the repair centre: carrier and tracking number',
    tag: 'portal',
    access: 'portal:use',
    params: IdParams,
    body: ShipmentBody,
    response: PortalTicket,
    errors: [...MOVE_ERRORS],
    handler: ({ params, body, user, deps }) => deps.portal.shipment(organisationOf(user), params.id, body, user),
  }),
  defineRoute({
    method: 'post',
    path: '/api/portal/tickets/:id/receipt',
    summary: 'The customer confirms the returned box arrived; the request closes',
    tag: 'portal',
    access: 'portal:use',
    params: IdParams,
    response: PortalTicket,
    errors: [...MOVE_ERRORS, 'RMA_STANDBY_OUTSTANDING'],
    handler: ({ params, user, deps }) => deps.portal.receipt(organisationOf(user), params.id, user),
  }),
];
