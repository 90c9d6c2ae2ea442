import { z } from 'zod';
import { IdParams } from '../../../kernel/common-schemas.ts';
import { pageOf } from '../../../kernel/page-cursor.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import type { RmaService } from '../rma-service.ts';
import { ticketViewIn } from '../rma-ticket-views.ts';
import { freightLine } from '../../warranty/index.ts';
import {
  CostConfirmationBody,
  ExclusionBody,
  NewTicketBody,
  ParameterRestoreBody,
  PaymentBody,
  RepairReportBody,
  ShippingBody,
  StandbyBody,
  TicketNoteBody,
  TicketQuery,
  TicketView,
  TransitionBody,
} from './rma-schemas.ts';

/** What the RMA routes need. */
export interface RmaRouteDeps {
  rma: RmaService;
}

const defineRoute = routesFor<RmaRouteDeps>();

const DEFAULT_LIMIT = 100;
/** The list answer stays an array (clients rely on it); the cursor to the next page rides in this header. */
const NEXT_CURSOR_HEADER = 'X-Next-Cursor';
const MOVE_ERRORS = ['RMA_NOT_FOUND', 'RMA_INVALID_TRANSITION', 'RMA_FORBIDDEN', 'RMA_PAYLOAD_INVALID'] as const;

export const rmaRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/tickets',
    summary:
      'RMA tickets, newest first, filtered by serial, state, support queue or whether they are finished, a page of `limit` (default 100) at a time',
    tag: 'rma',
    access: 'aftersales:read',
    query: TicketQuery,
    localized: true,
    response: z.array(TicketView).describe('every filter applies before paging, so a page is full unless it is the last'),
    responseHeaders: {
      [NEXT_CURSOR_HEADER]:
        'present when more tickets follow: pass it as `cursor` (with the same filters) for the next page; absent on the last page',
    },
    async handler({ query, deps, res, locale }) {
      const limit = query.limit ?? DEFAULT_LIMIT;
      const tickets = await deps.rma.list({
        ...(query.serial ? { serial: query.serial } : {}),
        ...(query.state ? { state: query.state } : {}),
        ...(query.queue ? { queue: query.queue } : {}),
        ...(query.open !== undefined ? { open: query.open } : {}),
        ...(query.cursor !== undefined ? { beforeId: query.cursor } : {}),
        limit: limit + 1,
      });
      const { page, nextCursor } = pageOf(tickets, limit, (t) => t.id);
      if (nextCursor !== null) res.setHeader(NEXT_CURSOR_HEADER, nextCursor);
      return page.map((view) => ticketViewIn(view, locale));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/tickets/:id',
    summary: 'One RMA ticket: form, warranty, suggested exclusions, deadlines, audit trail',
    tag: 'rma',
    access: 'aftersales:read',
    params: IdParams,
    localized: true,
    response: TicketView,
    errors: ['RMA_NOT_FOUND'],
    handler: async ({ params, deps, locale }) => ticketViewIn(await deps.rma.get(params.id), locale),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets',
    summary: 'Opens an RMA ticket from a customer call; the form is pre-filled from the registry',
    tag: 'rma',
    access: 'tickets:write',
    body: NewTicketBody,
    status: 201,
    localized: true,
    response: TicketView,
    errors: ['DEVICE_NOT_FOUND', 'RMA_FORBIDDEN', 'RMA_PAYLOAD_INVALID', 'RMA_ALREADY_OPEN'],
    handler: async ({ body, user, deps, locale }) => ticketViewIn(await deps.rma.open(body, user), locale),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:id/transitions',
    summary: 'Moves a ticket along one edge of the after-sales process; illegal moves are refused',
    tag: 'rma',
    access: 'tickets:write',
    params: IdParams,
    body: TransitionBody,
    localized: true,
    response: TicketView,
    errors: [
      ...MOVE_ERRORS,
      'RMA_PAYMENT_INSUFFICIENT',
      'RMA_WRONG_CHARGE_PATH',
      'RMA_FEEDBACK_PERIOD_OPEN',
      'RMA_STANDBY_OUTSTANDING',
      'RMA_EXCLUSIONS_UNDECIDED',
    ],
    handler: async ({ params, body, user, deps, locale }) =>
      ticketViewIn(
        await deps.rma.transition(params.id, { to: body.to, reason: body.reason, ...(body.payload ? { payload: body.payload } : {}) }, user),
        locale,
      ),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:id/exclusions',
    summary:
      'After-sales confirms or rejects a suggested warranty exclusion, or adds one the box could not report, until the Repair Report prices the repair',
    tag: 'rma',
    access: 'tickets:write',
    params: IdParams,
    body: ExclusionBody,
    localized: true,
    response: TicketView,
    errors: [
      'RMA_NOT_FOUND',
      'RMA_FORBIDDEN',
      'RMA_SCOPE_CLOSED',
      'EXCLUSION_NOT_SUGGESTED',
      'EXCLUSION_ALREADY_DECIDED',
      'EXCLUSION_ALREADY_LISTED',
    ],
    handler: async ({ params, body, user, deps, locale }) => ticketViewIn(await deps.rma.decideExclusion(params.id, body, user), locale),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:id/repair-report',
    summary: 'The technician writes the Repair Report; charges are computed from warranty, scope, parts and damage degree',
    tag: 'rma',
    access: 'tickets:write',
    params: IdParams,
    body: RepairReportBody,
    localized: true,
    response: TicketView,
    errors: [...MOVE_ERRORS, 'DAMAGE_DEGREE_REQUIRED', 'CHARGES_TOO_LARGE'],
    handler: async ({ params, body, user, deps, locale }) =>
      ticketViewIn(
        await deps.rma.writeRepairReport(
          params.id,
          { testResults: body.testResults, parts: body.parts, damageDegree: body.damageDegree, freightFen: body.freightFen },
          body.reason ?? 'Repair Report written',
          user,
        ),
        locale,
      ),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:id/cost-confirmation',
    summary: 'After-sales sends the Repair Report and confirms the cost with the customer (charged repairs)',
    tag: 'rma',
    access: 'tickets:write',
    params: IdParams,
    body: CostConfirmationBody,
    localized: true,
    response: TicketView,
    errors: [...MOVE_ERRORS, 'RMA_WRONG_CHARGE_PATH'],
    handler: async ({ params, body, user, deps, locale }) =>
      ticketViewIn(
        await deps.rma.transition(
          params.id,
          {
            to: 'awaiting-decision',
            reason: body.reason ?? 'Repair Report sent; cost confirmation with the customer',
            ...(body.freightFen !== undefined ? { payload: { freight: freightLine(body.freightFen) } } : {}),
          },
          user,
        ),
        locale,
      ),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:id/payments',
    summary: "Records the customer's remittance; repair starts only once it covers the total",
    tag: 'rma',
    access: 'tickets:write',
    params: IdParams,
    body: PaymentBody,
    localized: true,
    response: TicketView,
    errors: [...MOVE_ERRORS, 'RMA_PAYMENT_INSUFFICIENT'],
    handler: async ({ params, body, user, deps, locale }) =>
      ticketViewIn(
        await deps.rma.transition(
          params.id,
          {
            to: 'repairing',
            reason: body.reason ?? 'remittance received',
            payload: { payment: { amountFen: body.amountFen, reference: body.reference } },
          },
          user,
        ),
        locale,
      ),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:id/shipping',
    summary: 'Records a shipment: the customer sending the box in, or the box going back',
    tag: 'rma',
    access: 'tickets:write',
    params: IdParams,
    body: ShippingBody,
    localized: true,
    response: TicketView,
    errors: [...MOVE_ERRORS],
    handler: async ({ params, body, user, deps, locale }) => {
      const shipment = { carrier: body.carrier, trackingNumber: body.trackingNumber };
      const view = await (body.direction === 'inbound'
        ? deps.rma.transition(
            params.id,
            {
              to: 'in-transit',
              reason: body.reason ?? 'customer shipped the box',
              payload: { ...shipment, ...(body.insured !== undefined ? { insured: body.insured } : {}) },
            },
            user,
          )
        : deps.rma.transition(params.id, { to: 'shipped-back', reason: body.reason ?? 'shipped back to the customer', payload: shipment }, user));
      return ticketViewIn(view, locale);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:id/standby',
    summary: 'Standby unit: require, dispatch (unit serial, carrier, tracking) or record its return',
    tag: 'rma',
    access: 'tickets:write',
    params: IdParams,
    body: StandbyBody,
    localized: true,
    response: TicketView,
    errors: ['RMA_NOT_FOUND', 'RMA_STANDBY_INVALID', 'RMA_FORBIDDEN'],
    handler: async ({ params, body, user, deps, locale }) => ticketViewIn(await deps.rma.standby(params.id, body, user), locale),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:id/parameter-restore',
    costly: true,
    summary:
      'Restores the pre-repair parameters onto the repaired box and records whether they read back identical, or waives the restore with a reason; the box ships back only after one of them',
    tag: 'rma',
    access: 'tickets:write',
    params: IdParams,
    body: ParameterRestoreBody,
    localized: true,
    response: TicketView,
    errors: ['RMA_NOT_FOUND', 'RMA_FORBIDDEN', 'RMA_RESTORE_NOT_NOW', 'RMA_NO_BACKUP'],
    handler: async ({ params, body, user, deps, locale }) => ticketViewIn(await deps.rma.restoreParameters(params.id, body, user), locale),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:id/notes',
    summary: 'Adds a note to a ticket',
    tag: 'rma',
    access: 'tickets:write',
    params: IdParams,
    body: TicketNoteBody,
    localized: true,
    response: TicketView,
    errors: ['RMA_NOT_FOUND'],
    handler: async ({ params, body, user, deps, locale }) => ticketViewIn(await deps.rma.addNote(params.id, body.text, user), locale),
  }),
];
