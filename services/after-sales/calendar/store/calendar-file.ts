import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { CalendarData, CalendarOverride } from '../domain/calendar-data.ts';

export { mergeCalendars } from '../domain/calendar-data.ts';

/** The China calendar shipped with the service (official years from the State Council notices). */
export const SHIPPED_CALENDAR_PATH = new URL('../data/cn-calendar.json', import.meta.url);

function displayPath(path: string | URL): string {
  return path instanceof URL ? fileURLToPath(path) : path;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

// Errors name the file and every bad field, because an admin fixes the file by hand.
function readJsonFile<T>(path: string | URL, schema: z.ZodType<T>): T {
  const name = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`calendar file ${name}: cannot read it (${(err as Error).message})`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`calendar file ${name}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`);
    throw new Error(`calendar file ${name}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** A complete calendar file (such as the shipped one); throws naming the file and the bad field. */
export function loadCalendarFile(path: string | URL): CalendarData {
  return readJsonFile(path, CalendarData);
}

/** An admin override file, usually only `years`; throws naming the file and the bad field. */
export function loadCalendarOverride(path: string | URL): CalendarOverride {
  return readJsonFile(path, CalendarOverride);
}
