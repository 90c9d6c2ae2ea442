import { z } from 'zod';
import { Serial } from '../../../contract/serial.ts';
import type { Role } from '../../../kernel/roles.ts';
import { recordAudit, rmaError, type RmaContext, type RmaEffect, type RmaResult } from './rma-effects.ts';
import { Shipment, TERMINAL_STATES, type AnyActor, type RmaTicket, type StandbyState } from './rma-ticket.ts';

/**
 * Standby equipment. Seed: "If the fault of returning terminal equipment cannot be repaired
 * within the specified time limit, provide standby equipment to replace the faulty
 * equipment." The rules require it when the repair cycle runs out; staff may require it
 * earlier, then ship the unit and record it coming back.
 */
export const StandbyAction = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('require'), reason: z.string().trim().min(1).max(1000) }),
  z.strictObject({
    kind: z.literal('dispatch'),
    unitSerial: Serial,
    carrier: Shipment.shape.carrier,
    trackingNumber: Shipment.shape.trackingNumber,
  }),
  z.strictObject({ kind: z.literal('return') }),
]);
export type StandbyAction = z.infer<typeof StandbyAction>;
export type StandbyActionKind = StandbyAction['kind'];

/** Each standby step as data: the state it starts from, where it leads, who may take it. */
export const STANDBY_STEPS = {
  // A technician sees first that the repair will overrun.
  require: { from: 'none', to: 'required', roles: ['admin', 'after-sales', 'technician'] },
  dispatch: { from: 'required', to: 'dispatched', roles: ['admin', 'after-sales'] },
  return: { from: 'dispatched', to: 'returned', roles: ['admin', 'after-sales'] },
} as const satisfies Record<StandbyActionKind, { from: StandbyState; to: StandbyState; roles: readonly Role[] }>;

function standbyStepEffects(ticket: RmaTicket, from: StandbyState, to: StandbyState, actor: AnyActor, now: number, reason: string): RmaEffect[] {
  return [
    recordAudit(ticket, actor, now, reason, { standby: { from, to } }),
    { kind: 'live', event: { type: 'rma.standby', ticketId: ticket.id, from, to, at: now } },
  ];
}

/**
 * Marks standby equipment as required, once: a ticket already past `none` is returned
 * unchanged with no effects.
 */
export function requireStandby(ticket: RmaTicket, now: number, reason: string, actor: AnyActor): { ticket: RmaTicket; effects: RmaEffect[] } {
  if (ticket.standby.state !== 'none') return { ticket, effects: [] };
  const next: RmaTicket = { ...ticket, standby: { state: 'required', reason, requiredAt: now } };
  return {
    ticket: next,
    effects: [...standbyStepEffects(ticket, 'none', 'required', actor, now, reason), { kind: 'standby-required', ticketId: ticket.id, reason }],
  };
}

/** Applies one standby step, with the same result shape and refusals as a transition. */
export function applyStandbyAction(ticket: RmaTicket, action: unknown, ctx: RmaContext): RmaResult {
  const parsed = StandbyAction.safeParse(action);
  if (!parsed.success) {
    return rmaError('RMA_PAYLOAD_INVALID', {
      standby: ticket.standby.state,
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  const a = parsed.data;
  const step = STANDBY_STEPS[a.kind];
  if (!(step.roles as readonly Role[]).includes(ctx.actor.role)) {
    return rmaError('RMA_FORBIDDEN', { action: a.kind, role: ctx.actor.role, allowedRoles: step.roles });
  }
  const allowedActions = (Object.keys(STANDBY_STEPS) as StandbyActionKind[]).filter((k) => STANDBY_STEPS[k].from === ticket.standby.state);
  // A closed or cancelled ticket ships nothing out; a unit out on loan may still come back.
  const ticketOpen = !TERMINAL_STATES.includes(ticket.state);
  if (step.from !== ticket.standby.state || (a.kind !== 'return' && !ticketOpen)) {
    return rmaError('RMA_STANDBY_INVALID', {
      action: a.kind,
      standby: ticket.standby.state,
      ticketState: ticket.state,
      allowedActions: ticketOpen ? allowedActions : allowedActions.filter((k) => k === 'return'),
    });
  }

  if (a.kind === 'require') return { ok: true, ...requireStandby(ticket, ctx.now, a.reason, ctx.actor) };

  const standby =
    a.kind === 'dispatch'
      ? { ...ticket.standby, state: step.to, unitSerial: a.unitSerial, carrier: a.carrier, trackingNumber: a.trackingNumber, dispatchedAt: ctx.now }
      : { ...ticket.standby, state: step.to, returnedAt: ctx.now };
  const reason =
    a.kind === 'dispatch'
      ? `standby unit ${a.unitSerial} sent by ${a.carrier} ${a.trackingNumber}`
      : `standby unit ${ticket.standby.unitSerial ?? ''} returned`.trim();
  return {
    ok: true,
    ticket: { ...ticket, standby },
    effects: standbyStepEffects(ticket, step.from, step.to, ctx.actor, ctx.now, reason),
  };
}

/** A unit on loan must come back before the ticket can end (close or cancel). */
export function standbyOut(ticket: RmaTicket): boolean {
  return ticket.standby.state === 'dispatched';
}

/** Why standby equipment is due, citing the promise. */
export function standbyReason(cycleDays: number): string {
  return `Seed: repair not finished within the ${cycleDays}-working-day repair cycle; standby equipment replaces the faulty box`;
}
