import { z } from 'zod';
import type { Role } from '../../../kernel/roles.ts';
import { applyTransition, type TicketProcess, type TransitionRequest } from '../../ticket-core/domain/apply-transition.ts';
import { claimDeadline, dueDeadlineKinds, runningDeadline } from '../../ticket-core/domain/ticket-deadlines.ts';
import { issuesOf } from '../../ticket-core/domain/ticket-result.ts';
import { edgeKey } from '../../ticket-core/domain/transition-table.ts';
import type { PlatformTicketErrorCode } from './errors.ts';
import { platformError, type PlatformContext, type PlatformEffect, type PlatformResult } from './platform-effects.ts';
import { BugFeedbackForm, type PlatformActor, type PlatformDeadline, type PlatformState, type PlatformTicket } from './platform-ticket.ts';
import { PLATFORM_TRANSITIONS, type PlatformEdgeKey, type PlatformPayloadOf } from './platform-transition-table.ts';
import { occurredWithinPeriod, periodEndedMessage, periodRunningMessage } from './maintenance-period.ts';

export const SubmitTicketInput = z.strictObject({ id: z.string().trim().min(1).max(64), form: BugFeedbackForm });
export type SubmitTicketInput = z.input<typeof SubmitTicketInput>;

/** The customer submits in the portal or on the PMS; staff may enter a form on the customer's behalf. */
export interface SubmitContext {
  now: number;
  actor: PlatformActor | 'pms';
}
const SUBMITTER_ROLES: readonly Role[] = ['admin', 'after-sales', 'engineer', 'customer'];

export type PlatformCommand = TransitionRequest<PlatformState>;

/** Opens a ticket in `submitted` from a BUG Feedback Form. */
export function submitTicket(input: unknown, ctx: SubmitContext): PlatformResult {
  const actor = ctx.actor === 'pms' ? { username: 'pms', role: 'pms' as const } : ctx.actor;
  if (actor.role !== 'pms' && !SUBMITTER_ROLES.includes(actor.role)) {
    return platformError('PLATFORM_TICKET_FORBIDDEN', { to: 'submitted', role: actor.role, allowedRoles: SUBMITTER_ROLES });
  }
  const parsed = SubmitTicketInput.safeParse(input);
  if (!parsed.success) {
    return platformError('PLATFORM_TICKET_PAYLOAD_INVALID', { to: 'submitted', issues: issuesOf(parsed.error) });
  }
  const { id, form } = parsed.data;
  if (form.occurredAt > ctx.now) {
    return platformError('PLATFORM_TICKET_PAYLOAD_INVALID', {
      to: 'submitted',
      issues: [{ path: ['form', 'occurredAt'], message: 'occurredAt is in the future' }],
    });
  }
  const ticket: PlatformTicket = {
    id,
    state: 'submitted',
    stateSince: ctx.now,
    form,
    submittedBy: actor.username,
    submittedAt: ctx.now,
    confirmation: null,
    outOfScope: null,
    repair: null,
    resolution: null,
    reopenings: [],
    closure: null,
    deadlines: [],
  };
  return {
    ok: true,
    ticket,
    effects: [
      {
        kind: 'audit',
        entry: { at: ctx.now, actor: actor.username, role: actor.role, from: null, to: 'submitted', reason: 'BUG Feedback Form submitted' },
      },
      { kind: 'live', event: { type: 'platform-ticket.submitted', ticketId: id, project: form.project, severity: form.severity, at: ctx.now } },
    ],
  };
}

type Step = PlatformResult;
type Handler<P> = (ticket: PlatformTicket, payload: P, ctx: PlatformContext) => Step;

/** The platform maintenance process as data for the ticket core. */
export const PLATFORM_PROCESS: TicketProcess<PlatformState, Role, PlatformEffect, PlatformTicketErrorCode> = {
  table: PLATFORM_TRANSITIONS,
  codes: {
    invalid: 'PLATFORM_TICKET_INVALID_TRANSITION',
    forbidden: 'PLATFORM_TICKET_FORBIDDEN',
    payloadInvalid: 'PLATFORM_TICKET_PAYLOAD_INVALID',
  },
  audited: (entry) => ({ kind: 'audit', entry }),
  announced: ({ ticketId, from, to, at }) => ({ kind: 'live', event: { type: 'platform-ticket.transitioned', ticketId, from, to, at } }),
};

/** Moves a platform ticket along one edge of the transition table. */
export function applyPlatformTransition(ticket: PlatformTicket, command: PlatformCommand, ctx: PlatformContext): PlatformResult {
  return applyTransition(PLATFORM_PROCESS, ticket, command, ctx.actor, ctx.now, {
    step: (moved, payload, from) => {
      const handler = HANDLERS[edgeKey(from, command.to) as PlatformEdgeKey] as Handler<unknown>;
      return handler(moved, payload, ctx);
    },
  });
}

function notifyCustomer(
  t: PlatformTicket,
  topic: Extract<PlatformEffect, { kind: 'notify' }>['topic'],
  details: Record<string, unknown>,
): PlatformEffect {
  return { kind: 'notify', audience: 'customer', topic, ticketId: t.id, details };
}

function runningRepairDeadline(t: PlatformTicket): PlatformDeadline | undefined {
  return runningDeadline(t.deadlines, 'agreed-repair');
}

/** Ends the running agreed-repair deadline, if any. */
function cancelRepairDeadline(t: PlatformTicket, now: number): { ticket: PlatformTicket; effects: PlatformEffect[] } {
  const running = runningRepairDeadline(t);
  if (!running) return { ticket: t, effects: [] };
  return {
    ticket: { ...t, deadlines: t.deadlines.map((d) => (d === running ? { ...d, cancelledAt: now } : d)) },
    effects: [{ kind: 'cancel-deadline', deadlineKind: 'agreed-repair' }],
  };
}

/** Starts a repair round due at the agreed instant, which must lie ahead. */
function scheduleRepair(t: PlatformTicket, solution: string, agreedBy: number, ctx: PlatformContext): Step {
  if (agreedBy <= ctx.now) {
    return platformError('PLATFORM_TICKET_PAYLOAD_INVALID', {
      from: t.state,
      to: 'repairing',
      issues: [{ path: ['payload', 'agreedBy'], message: 'the agreed repair time has already passed' }],
    });
  }
  const cleared = cancelRepairDeadline(t, ctx.now);
  const deadline: PlatformDeadline = { kind: 'agreed-repair', scheduledAt: ctx.now, dueAt: agreedBy, firedAt: null, cancelledAt: null };
  const round = (t.repair?.round ?? 0) + 1;
  return {
    ok: true,
    ticket: {
      ...cleared.ticket,
      repair: { solution, agreedBy, agreedAt: ctx.now, round },
      resolution: null,
      deadlines: [...cleared.ticket.deadlines, deadline],
    },
    effects: [...cleared.effects, { kind: 'schedule', deadline }, notifyCustomer(t, 'repair-scheduled', { agreedBy, solution, round })],
  };
}

/**
 * The due instant of a reopened round nobody named a time for: as long as the previous round was
 * agreed to take, from now (a resolved ticket always went through a repair round).
 */
function sameLengthAgain(t: PlatformTicket, now: number): number {
  const previous = t.repair ? t.repair.agreedBy - t.repair.agreedAt : 0;
  return now + Math.max(previous, 1);
}

/** A scope decision the maintenance period contradicts: refused, with the reason in words. */
function scopeRefused(t: PlatformTicket, to: PlatformState, path: string[], message: string): Step {
  return platformError('PLATFORM_TICKET_PAYLOAD_INVALID', { from: t.state, to, issues: [{ path, message }] });
}

const HANDLERS: { [K in PlatformEdgeKey]: Handler<PlatformPayloadOf<K>> } = {
  'submitted->confirmed': (t, p, c) => {
    // Seed, "Both parties confirm": "After sales personnel shall confirm whether the project is
    // within the maintenance period …": a problem that occurred after the period ended is not.
    if (p.maintenancePeriodEndsOn !== undefined && !occurredWithinPeriod(t, p.maintenancePeriodEndsOn)) {
      return scopeRefused(t, 'confirmed', ['payload', 'maintenancePeriodEndsOn'], periodEndedMessage(t, p.maintenancePeriodEndsOn));
    }
    return {
      ok: true,
      ticket: { ...t, confirmation: { ...p, confirmedBy: c.actor.username, confirmedAt: c.now } },
      effects: [notifyCustomer(t, 'confirmed', p.service ? { service: p.service } : {})],
    };
  },
  'submitted->out-of-scope': (t, p, c) => {
    // The same check the other way: a period that ran when the problem occurred refuses nothing.
    if (p.basis.kind === 'maintenance-period-ended' && occurredWithinPeriod(t, p.basis.endedOn)) {
      return scopeRefused(t, 'out-of-scope', ['payload', 'basis', 'endedOn'], periodRunningMessage(t, p.basis.endedOn));
    }
    return {
      ok: true,
      ticket: { ...t, outOfScope: { ...p, decidedBy: c.actor.username, decidedAt: c.now } },
      effects: [notifyCustomer(t, 'out-of-scope', { basis: p.basis, solutionOffered: p.solutionOffered ?? null })],
    };
  },
  'confirmed->repairing': (t, p, c) => scheduleRepair(t, p.solution, p.agreedBy, c),
  'resolved->repairing': (t, p, c) => {
    const reopened = { ...t, reopenings: [...t.reopenings, { customerReport: p.customerReport, at: c.now }] };
    return scheduleRepair(reopened, p.solution ?? t.repair?.solution ?? '', p.agreedBy ?? sameLengthAgain(t, c.now), c);
  },
  'repairing->resolved': (t, p, c) => {
    const cleared = cancelRepairDeadline(t, c.now);
    return {
      ok: true,
      ticket: { ...cleared.ticket, resolution: { summary: p.summary, resolvedBy: c.actor.username, resolvedAt: c.now } },
      // Seed, "End": "After the system repair is completed, notify the customer for confirmation."
      effects: [...cleared.effects, notifyCustomer(t, 'resolved', { summary: p.summary })],
    };
  },
  'resolved->closed': (t, _p, c) => ({ ok: true, ticket: { ...t, closure: { closedBy: c.actor.username, closedAt: c.now } }, effects: [] }),
  'out-of-scope->closed': (t, _p, c) => ({ ok: true, ticket: { ...t, closure: { closedBy: c.actor.username, closedAt: c.now } }, effects: [] }),
};

/** The kinds of running deadlines due at `now`. */
export function duePlatformDeadlines(ticket: PlatformTicket, now: number): PlatformDeadline['kind'][] {
  return dueDeadlineKinds(ticket.deadlines, now);
}

/**
 * Fires the agreed-repair deadline: the repair is late, so after-sales and the engineers
 * hear of it. Firing again, or after the ticket moved on, is a no-op.
 */
export function firePlatformDeadline(ticket: PlatformTicket, kind: PlatformDeadline['kind'], ctx: { now: number }): PlatformResult {
  const claim = claimDeadline<PlatformTicket, PlatformDeadline, PlatformEffect, PlatformTicketErrorCode>(ticket, kind, ctx.now, {
    notFound: 'PLATFORM_TICKET_DEADLINE_NOT_FOUND',
    notDue: 'PLATFORM_TICKET_DEADLINE_NOT_DUE',
  });
  if (!claim.claimed) return claim.result;
  if (ticket.state !== 'repairing') return { ok: true, ticket: claim.fired, effects: [] };
  const details = { agreedBy: claim.deadline.dueAt, project: ticket.form.project, severity: ticket.form.severity };
  return {
    ok: true,
    ticket: claim.fired,
    effects: (['after-sales', 'engineer'] as const).map((audience) => ({
      kind: 'notify',
      audience,
      topic: 'repair-overdue',
      ticketId: ticket.id,
      details,
    })),
  };
}
