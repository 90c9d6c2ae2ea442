import type { CalendarOverride, CalendarYear } from '../domain/calendar-data.ts';

/** Where the admin's holiday years are kept: a file on a single node, the database for many. */
export interface CalendarOverrideStore {
  /** Where that is, as admins are told (the file's path, or the database's table). */
  readonly where: string;
  /** What is stored now; `{}` when nothing is. Throws naming `where` and every bad field. */
  read(): Promise<CalendarOverride>;
  /**
   * Replaces one year in what is stored, against the latest stored state (another node's
   * write is not lost). `check` sees the whole result before it is written and throws to
   * refuse it. Answers what is stored now.
   */
  putYear(year: number, data: CalendarYear, by: string | null, check: (next: CalendarOverride) => void): Promise<CalendarOverride>;
}
