import { z } from 'zod';
import type { Role } from '../../../kernel/roles.ts';
import { BusinessLine } from '../../../kernel/business-line.ts';
import { Serial } from '../../../contract/serial.ts';
import { firstResponseDeadline, scheduleDeadline, settleDeadlines } from './rma-deadline-rules.ts';
import { applyTransition as applyCoreTransition, TransitionReason, type TicketProcess } from '../../ticket-core/domain/apply-transition.ts';
import { edgeKey } from '../../ticket-core/domain/transition-table.ts';
import { issuesOf } from '../../ticket-core/domain/ticket-result.ts';
import type { RmaErrorCode } from './errors.ts';
import { rmaError, type RmaContext, type RmaEffect, type RmaResult, type RulesContext } from './rma-effects.ts';
import {
  DIAGNOSTICS_ACTOR,
  ServiceRegistrationForm,
  STANDARD_REPAIR_CYCLE_DAYS,
  TERMINAL_STATES,
  type Actor,
  type AnyActor,
  RmaState,
  type RmaTicket,
} from './rma-ticket.ts';
import { standbyOut } from './rma-standby.ts';
import { HANDLERS, type Handler } from './rma-transition-steps.ts';
import { refineRepairCycle, RMA_TRANSITIONS, type EdgeRole, type RmaEdgeKey } from './rma-transition-table.ts';

export const OpenTicketInput = z
  .strictObject({
    id: z.string().trim().min(1).max(64),
    serial: Serial,
    form: ServiceRegistrationForm.optional(),
    businessLine: BusinessLine.nullable().optional(),
    customised: z.boolean().optional(),
    repairCycleDays: z.number().int().min(1).max(365).optional(),
  })
  .superRefine(refineRepairCycle)
  .refine((i) => i.form?.serialNumber === undefined || i.form.serialNumber === i.serial, {
    message: 'the form names another serial',
    path: ['form', 'serialNumber'],
  });
export type OpenTicketInput = z.input<typeof OpenTicketInput>;

/** Diagnostics opens tickets on its own; people open them from a call or a remote session. */
export interface OpenContext extends RulesContext {
  actor: Actor | 'diagnostics';
}
// Customers open their own requests from the portal (the Service Registration Form).
const OPENER_ROLES: readonly Role[] = ['admin', 'after-sales', 'engineer', 'customer'];

/** A request to move a ticket: where to, why (for the audit log), and what the edge needs. */
export const TransitionCommand = z.strictObject({
  to: RmaState,
  reason: TransitionReason,
  payload: z.unknown().optional(),
});
export type TransitionCommand = z.infer<typeof TransitionCommand>;

/** Opens a ticket in `registered`, and asks for a parameter backup while the box is online. */
export function openTicket(input: unknown, ctx: OpenContext): RmaResult {
  const actor: AnyActor = ctx.actor === 'diagnostics' ? DIAGNOSTICS_ACTOR : ctx.actor;
  if (actor.role !== 'system' && !OPENER_ROLES.includes(actor.role)) {
    return rmaError('RMA_FORBIDDEN', { to: 'registered', role: actor.role, allowedRoles: OPENER_ROLES });
  }
  const parsed = OpenTicketInput.safeParse(input);
  if (!parsed.success) return rmaError('RMA_PAYLOAD_INVALID', { to: 'registered', issues: issuesOf(parsed.error) });
  const i = parsed.data;
  const ticket: RmaTicket = {
    id: i.id,
    serial: i.serial,
    state: 'registered',
    stateSince: ctx.now,
    form: i.form ?? {},
    businessLine: i.businessLine ?? null,
    customised: i.customised ?? false,
    repairCycleDays: i.repairCycleDays ?? STANDARD_REPAIR_CYCLE_DAYS,
    openedBy: actor.username,
    openedAt: ctx.now,
    firstResponseAt: null,
    warranty: null,
    inbound: null,
    receivedAt: null,
    repairReport: null,
    customerDecision: null,
    payment: null,
    repairClock: null,
    repairedAt: null,
    finalTest: null,
    standby: { state: 'none' },
    outbound: null,
    cancellation: null,
    closure: null,
    deadlines: [],
    parameterRestore: null,
  };
  const scheduled = scheduleDeadline(ticket, firstResponseDeadline(ctx.now, ctx.calendar, ctx.firstResponseHours));
  return {
    ok: true,
    ticket: scheduled.ticket,
    effects: [
      { kind: 'audit', entry: { at: ctx.now, actor: actor.username, role: actor.role, from: null, to: 'registered', reason: 'ticket opened' } },
      ...scheduled.effects,
      { kind: 'backup-parameters', ticketId: ticket.id, serial: ticket.serial },
      { kind: 'live', event: { type: 'rma.opened', ticketId: ticket.id, serial: ticket.serial, state: 'registered', at: ctx.now } },
    ],
  };
}

/** Moves a ticket along one edge of the transition table, as a person. */
export function applyTransition(ticket: RmaTicket, command: TransitionCommand, ctx: RmaContext): RmaResult {
  return transitionAs(ticket, command, ctx, ctx.actor);
}

/** The RMA process as data for the ticket core: its table, its codes, its audit line and event. */
export const RMA_PROCESS: TicketProcess<RmaState, EdgeRole, RmaEffect, RmaErrorCode> = {
  table: RMA_TRANSITIONS,
  codes: { invalid: 'RMA_INVALID_TRANSITION', forbidden: 'RMA_FORBIDDEN', payloadInvalid: 'RMA_PAYLOAD_INVALID' },
  audited: (entry) => ({ kind: 'audit', entry }),
  announced: ({ ticketId, from, to, at }) => ({ kind: 'live', event: { type: 'rma.transitioned', ticketId, from, to, at } }),
};

/** Moves a ticket along one edge; the deadline rules call this with the system actor. */
export function transitionAs(ticket: RmaTicket, command: TransitionCommand, ctx: RulesContext, actor: AnyActor): RmaResult {
  const to = command.to;
  return applyCoreTransition(RMA_PROCESS, ticket, command, actor, ctx.now, {
    // A unit on loan must come back before the ticket can end.
    refuse: (t, from) =>
      TERMINAL_STATES.includes(to) && standbyOut(t)
        ? { code: 'RMA_STANDBY_OUTSTANDING', details: { from, to, unitSerial: t.standby.unitSerial } }
        : null,
    move: (t) => ({
      ...t,
      state: to,
      stateSince: ctx.now,
      // The first step a person takes answers the customer.
      firstResponseAt: t.firstResponseAt ?? (actor.role !== 'system' ? ctx.now : null),
    }),
    step: (moved, payload, from) => {
      const handler = HANDLERS[edgeKey(from, to) as RmaEdgeKey] as Handler<unknown>;
      return handler(moved, payload, { ...ctx, actor, from, today: ctx.calendar.localDate(ctx.now) });
    },
    settle: (t) => settleDeadlines(t, ctx.now),
  });
}
