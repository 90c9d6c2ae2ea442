/**
 * The working-day calendar the RMA rules count with (China: public holidays and make-up
 * working days). Implemented elsewhere; the domain only needs this slice of it.
 *
 * Every computation reports `unofficialYears`: years it crossed for which no official
 * holiday data was loaded, so a date can be flagged as provisional instead of trusted.
 */
export interface WorkingDays {
  /** The date `n` working days after `date` (`n = 0` is `date` itself). */
  addWorkingDays(date: string, n: number): { date: string; unofficialYears: number[] };
  /** Working days in the half-open range (from, to]. */
  workingDaysBetween(from: string, to: string): { days: number; unofficialYears: number[] };
  /** The calendar date `YYYY-MM-DD` of an instant in China (UTC+8). */
  localDate(ms: number): string;
  /** The instant a deadline "due on `date`" expires: the end of that local day. */
  endOfLocalDay(date: string): number;
  /** The instant `hours` business hours (9:00–18:00 on working days) after `startMs`. */
  addBusinessHours(startMs: number, hours: number): { at: number; unofficialYears: number[] };
}

/** Union of year lists, sorted, for a result computed from several calendar calls. */
export function mergeYears(...lists: readonly (readonly number[])[]): number[] {
  return [...new Set(lists.flat())].sort((a, b) => a - b);
}
