import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { CalendarData, CalendarOverride, type CalendarYear } from '../domain/calendar-data.ts';
import { parseCalendarJson } from './calendar-json.ts';
import type { CalendarOverrideStore } from './calendar-override-store.ts';

export { mergeCalendars } from '../domain/calendar-data.ts';

/** The China calendar shipped with the service (official years from the State Council notices). */
export const SHIPPED_CALENDAR_PATH = new URL('../data/cn-calendar.json', import.meta.url);

function displayPath(path: string | URL): string {
  return path instanceof URL ? fileURLToPath(path) : path;
}

// Errors name the file and every bad field, because an admin fixes the file by hand.
function readJsonFile<T>(path: string | URL, schema: z.ZodType<T>): T {
  const name = `calendar file ${displayPath(path)}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${name}: cannot read it (${(err as Error).message})`, { cause: err });
  }
  return parseCalendarJson(text, schema, name);
}

/** A complete calendar file (such as the shipped one); throws naming the file and the bad field. */
export function loadCalendarFile(path: string | URL): CalendarData {
  return readJsonFile(path, CalendarData);
}

/** An admin override file, usually only `years`; throws naming the file and the bad field. */
export function loadCalendarOverride(path: string | URL): CalendarOverride {
  return readJsonFile(path, CalendarOverride);
}

/**
 * The admin's years in a file of their own (a single node): written whole, through a temporary
 * file renamed over it, so a crash leaves the old file or the new one, never half of one.
 */
export function calendarFileStore(path: string): CalendarOverrideStore {
  // Read afresh on every write, so a year an admin typed into the file by hand is kept.
  const read = (): CalendarOverride => (existsSync(path) ? loadCalendarOverride(path) : {});
  return {
    where: path,
    read: async () => read(),
    async putYear(year: number, data: CalendarYear, _by: string | null, check: (next: CalendarOverride) => void) {
      const current = read();
      const next = CalendarOverride.parse({ ...current, years: { ...current.years, [String(year)]: data } });
      check(next);
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o644 });
      renameSync(tmp, path);
      return next;
    },
  };
}
