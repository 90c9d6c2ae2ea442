import { claimDeadline, dueDeadlineKinds } from '../../ticket-core/domain/ticket-deadlines.ts';
import type { RmaErrorCode } from './errors.ts';
import { deadlineApplies } from './rma-deadline-rules.ts';
import type { RmaEffect, RmaResult, RulesContext } from './rma-effects.ts';
import { requireStandby, standbyReason } from './rma-standby.ts';
import { SYSTEM_ACTOR, type Deadline, type DeadlineKind, type RmaTicket } from './rma-ticket.ts';
import { transitionAs } from './rma-transitions.ts';

export {
  DECISION_WORKING_DAYS,
  FEEDBACK_CALENDAR_DAYS,
  FIRST_RESPONSE_BUSINESS_HOURS,
  PAYMENT_WORKING_DAYS,
  activeDeadline,
  deadlineApplies,
} from './rma-deadline-rules.ts';

export const DECISION_RULE = 'Seed: no decision within 5 working days of the Repair Report; postponed to the next maintenance cycle';
export const PAYMENT_RULE = 'Seed: no payment within 30 working days of the Repair Report; the product is returned unrepaired';

/** The kinds of the ticket's running deadlines that are due at `now`. */
export function dueDeadlines(ticket: RmaTicket, now: number): DeadlineKind[] {
  return dueDeadlineKinds(ticket.deadlines, now);
}

/**
 * Fires the running deadline of a kind. One that no longer applies, or was already fired or
 * cancelled, is a no-op: `{ ok: true, effects: [] }`, so a timer firing twice is harmless.
 */
export function fireDeadline(ticket: RmaTicket, kind: DeadlineKind, ctx: RulesContext): RmaResult {
  // Marked before acting, so the transition below does not cancel it as stale.
  const claim = claimDeadline<RmaTicket, Deadline, RmaEffect, RmaErrorCode>(
    ticket,
    kind,
    ctx.now,
    { notFound: 'RMA_DEADLINE_NOT_FOUND', notDue: 'RMA_DEADLINE_NOT_DUE' },
    (d) => ({ kind, dueAt: d.dueAt, dueDate: d.dueDate }),
  );
  if (!claim.claimed) return claim.result;
  const { fired, deadline } = claim;
  if (!deadlineApplies(ticket, kind)) return { ok: true, ticket: fired, effects: [] };

  switch (kind) {
    case 'first-response':
      return notify(fired, 'first-response-overdue', { openedAt: ticket.openedAt, dueAt: deadline.dueAt });
    case 'repair-cycle': {
      const r = requireStandby(fired, ctx.now, standbyReason(ticket.repairCycleDays), SYSTEM_ACTOR);
      return { ok: true, ...r };
    }
    case 'decision':
      return transitionAs(fired, { to: 'postponed', reason: DECISION_RULE }, ctx, SYSTEM_ACTOR);
    case 'payment':
      return transitionAs(fired, { to: 'returned-unrepaired', reason: PAYMENT_RULE }, ctx, SYSTEM_ACTOR);
    case 'feedback':
      // Seed: with no feedback a week after the parts went out, someone should ask whether
      // they arrived, "to avoid the loss of the maintenance parts during transportation".
      return notify(fired, 'feedback-follow-up', {
        carrier: ticket.outbound?.carrier ?? null,
        trackingNumber: ticket.outbound?.trackingNumber ?? null,
        shippedAt: ticket.outbound?.shippedAt ?? null,
      });
  }
}

function notify(ticket: RmaTicket, topic: Extract<RmaEffect, { kind: 'notify' }>['topic'], details: Record<string, unknown>): RmaResult {
  return { ok: true, ticket, effects: [{ kind: 'notify', audience: 'after-sales', topic, ticketId: ticket.id, details }] };
}
