import { runningDeadline } from '../../ticket-core/domain/ticket-deadlines.ts';
import type { RmaEffect } from './rma-effects.ts';
import { TERMINAL_STATES, type Deadline, type DeadlineKind, type RmaState, type RmaTicket } from './rma-ticket.ts';
import { mergeYears, type WorkingDays } from './working-days.ts';

/**
 * Our own policy, not the seed's (which sets no first-response time): a first answer is due
 * within half a day of hotline hours (9:00–18:00 on working days). The default of the
 * `FIRST_RESPONSE_HOURS` setting; a deployment may set its own (RmaContext.firstResponseHours).
 */
export const FIRST_RESPONSE_BUSINESS_HOURS = 4;
// Seed: "the customer should contact … within five working days to determine whether
// maintenance is required", else the product is postponed to the next maintenance cycle.
export const DECISION_WORKING_DAYS = 5;
// Seed: "if no payment is received … within 30 working days from the date the after-sales
// service personnel provide the Repair Report", the product is returned.
export const PAYMENT_WORKING_DAYS = 30;
// Seed: "No feedback is received within one week after the maintenance parts are sent out".
export const FEEDBACK_CALENDAR_DAYS = 7;

const DAY_MS = 86_400_000;
const FEE_COLLECTION: readonly RmaState[] = ['awaiting-decision', 'awaiting-payment', 'postponed'];

function deadline(kind: DeadlineKind, scheduledAt: number, dueDate: string, dueAt: number, unofficialYears: number[]): Deadline {
  return { kind, scheduledAt, dueDate, dueAt, unofficialYears, firedAt: null, cancelledAt: null };
}

/** Due `n` working days after `fromDate`, at the end of that local day. */
export function workingDayDeadline(
  kind: DeadlineKind,
  now: number,
  fromDate: string,
  n: number,
  calendar: WorkingDays,
  carriedYears: readonly number[] = [],
): Deadline {
  const due = calendar.addWorkingDays(fromDate, n);
  return deadline(kind, now, due.date, calendar.endOfLocalDay(due.date), mergeYears(carriedYears, due.unofficialYears));
}

/** Due `hours` business hours after opening (the `FIRST_RESPONSE_HOURS` setting). */
export function firstResponseDeadline(openedAt: number, calendar: WorkingDays, hours: number = FIRST_RESPONSE_BUSINESS_HOURS): Deadline {
  const due = calendar.addBusinessHours(openedAt, hours);
  return deadline('first-response', openedAt, calendar.localDate(due.at), due.at, due.unofficialYears);
}

export function feedbackDeadline(shippedAt: number, calendar: WorkingDays): Deadline {
  const dueAt = shippedAt + FEEDBACK_CALENDAR_DAYS * DAY_MS;
  return deadline('feedback', shippedAt, calendar.localDate(dueAt), dueAt, []);
}

/** The deadline of a kind that is still running, if any (at most one per kind). */
export function activeDeadline(ticket: RmaTicket, kind: DeadlineKind): Deadline | undefined {
  return runningDeadline(ticket.deadlines, kind);
}

/** Whether a deadline of this kind still means anything for the ticket as it stands. */
export function deadlineApplies(ticket: RmaTicket, kind: DeadlineKind): boolean {
  switch (kind) {
    case 'first-response':
      return ticket.firstResponseAt === null && !TERMINAL_STATES.includes(ticket.state);
    case 'repair-cycle':
      return ticket.repairClock !== null && ticket.repairClock.runningSince !== null;
    case 'decision':
      return ticket.state === 'awaiting-decision';
    case 'payment':
      return ticket.payment === null && FEE_COLLECTION.includes(ticket.state);
    case 'feedback':
      return ticket.state === 'shipped-back';
  }
}

function replaceDeadline(ticket: RmaTicket, old: Deadline, next: Deadline): RmaTicket {
  return { ...ticket, deadlines: ticket.deadlines.map((d) => (d === old ? next : d)) };
}

function cancel(ticket: RmaTicket, old: Deadline, now: number): { ticket: RmaTicket; effect: RmaEffect } {
  return {
    ticket: replaceDeadline(ticket, old, { ...old, cancelledAt: now }),
    effect: { kind: 'cancel-deadline', deadlineKind: old.kind },
  };
}

/** Adds a deadline, cancelling a running one of the same kind. */
export function scheduleDeadline(ticket: RmaTicket, next: Deadline): { ticket: RmaTicket; effects: RmaEffect[] } {
  const effects: RmaEffect[] = [];
  const old = activeDeadline(ticket, next.kind);
  let t = ticket;
  if (old) {
    const c = cancel(t, old, next.scheduledAt);
    t = c.ticket;
    effects.push(c.effect);
  }
  effects.push({ kind: 'schedule', deadline: next });
  return { ticket: { ...t, deadlines: [...t.deadlines, next] }, effects };
}

/** Cancels every running deadline that no longer applies after a change. */
export function settleDeadlines(ticket: RmaTicket, now: number): { ticket: RmaTicket; effects: RmaEffect[] } {
  let t = ticket;
  const effects: RmaEffect[] = [];
  for (const d of ticket.deadlines) {
    if (d.firedAt === null && d.cancelledAt === null && !deadlineApplies(ticket, d.kind)) {
      const c = cancel(t, d, now);
      t = c.ticket;
      effects.push(c.effect);
    }
  }
  return { ticket: t, effects };
}
