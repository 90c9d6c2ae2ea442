/**
 * Calendar dates as whole day numbers (days since 1970-01-01). Counting working days is
 * integer arithmetic on these; no time zone is involved until a date meets an instant.
 */

export const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a `YYYY-MM-DD` date; throws on a string that is not a real date. */
export function toDayNumber(date: string): number {
  const m = DATE.exec(date);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  // Date.UTC rolls 2025-02-30 over to March; a round trip catches it.
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  }
  return t / DAY_MS;
}

/** `YYYY-MM-DD` of a day number. */
export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** Saturday or Sunday: the default days off before any official adjustment. */
export function isWeekendDay(day: number): boolean {
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}
