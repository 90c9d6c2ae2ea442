import type { PlatformTicket } from './platform-ticket.ts';

/**
 * Seed, "Project maintenance", "2、 Both parties confirm": the clause a scope decision about the
 * maintenance period rests on, quoted so a refusal can give it in words.
 */
export const MAINTENANCE_PERIOD_CLAUSE =
  'After sales personnel shall confirm whether the project is within the maintenance period and whether the bug is within the maintenance scope.';

// China keeps UTC+8 all year; the seed covers products sold in the domestic market.
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The calendar date `YYYY-MM-DD` in China of an instant. */
export function chinaDate(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The date the reported problem occurred, in China. */
export function occurredOn(ticket: PlatformTicket): string {
  return chinaDate(ticket.form.occurredAt);
}

/**
 * Whether the problem occurred within a maintenance period ending on `endsOn` (its last
 * covered day). A problem that occurred after that day is not covered.
 */
export function occurredWithinPeriod(ticket: PlatformTicket, endsOn: string): boolean {
  return occurredOn(ticket) <= endsOn;
}

/** The refusal of confirming a report whose problem occurred after the period ended, in words. */
export function periodEndedMessage(ticket: PlatformTicket, endsOn: string): string {
  return (
    `the problem occurred on ${occurredOn(ticket)}, after the maintenance period ended on ${endsOn}, so it is not within the maintenance period ` +
    `(seed: "${MAINTENANCE_PERIOD_CLAUSE}"); move it out of scope with the basis maintenance-period-ended`
  );
}

/** The refusal of "period ended" for a problem that occurred while the period still ran, in words. */
export function periodRunningMessage(ticket: PlatformTicket, endedOn: string): string {
  return (
    `the problem occurred on ${occurredOn(ticket)}, within the maintenance period that ended on ${endedOn}, so the period is no reason to refuse it ` +
    `(seed: "${MAINTENANCE_PERIOD_CLAUSE}")`
  );
}
