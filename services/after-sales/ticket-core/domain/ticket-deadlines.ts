import { ticketError, type TicketResult } from './ticket-result.ts';

/** The part of a deadline every process keeps: its kind, when it is due, and how it ended. */
export interface TicketDeadline {
  kind: string;
  dueAt: number;
  firedAt: number | null;
  cancelledAt: number | null;
}

/** The deadline of a kind that is still running, if any (at most one per kind). */
export function runningDeadline<D extends TicketDeadline>(deadlines: readonly D[], kind: D['kind']): D | undefined {
  return deadlines.find((d) => d.kind === kind && d.firedAt === null && d.cancelledAt === null);
}

/** The kinds of running deadlines that are due at `now`. */
export function dueDeadlineKinds<D extends TicketDeadline>(deadlines: readonly D[], now: number): D['kind'][] {
  return deadlines.filter((d) => d.firedAt === null && d.cancelledAt === null && d.dueAt <= now).map((d) => d.kind);
}

export interface DeadlineCodes<Code extends string> {
  /** The ticket never had a deadline of that kind. */
  notFound: Code;
  /** The deadline was fired before its due instant. */
  notDue: Code;
}

/**
 * The start every deadline firing shares: finds the running deadline of a kind and marks it
 * fired. A kind that ran before and is no longer running is `done` with no effects, so a
 * timer firing twice is harmless; a kind the ticket never had, or one not yet due, is refused.
 */
export function claimDeadline<T extends { state: string; deadlines: readonly D[] }, D extends TicketDeadline, E, Code extends string>(
  ticket: T,
  kind: D['kind'],
  now: number,
  codes: DeadlineCodes<Code>,
  notDueDetails: (d: D) => Record<string, unknown> = (d) => ({ kind, dueAt: d.dueAt }),
): { claimed: true; fired: T; deadline: D } | { claimed: false; result: TicketResult<T, E, Code> } {
  const deadline = runningDeadline(ticket.deadlines, kind);
  if (!deadline) {
    if (ticket.deadlines.some((d) => d.kind === kind)) return { claimed: false, result: { ok: true, ticket, effects: [] } };
    return { claimed: false, result: ticketError(codes.notFound, { kind, state: ticket.state }) };
  }
  if (now < deadline.dueAt) return { claimed: false, result: ticketError(codes.notDue, notDueDetails(deadline)) };
  const fired: T = { ...ticket, deadlines: ticket.deadlines.map((d) => (d === deadline ? { ...d, firedAt: now } : d)) };
  return { claimed: true, fired, deadline };
}
