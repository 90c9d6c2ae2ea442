import { CalendarData } from './calendar-data.ts';
import { DAY_MS, fromDayNumber, isWeekendDay, toDayNumber, yearOfDay } from './day-number.ts';

/**
 * Working-day and support-hour arithmetic for one region. Every count that relies on a year
 * without official data reports it in `unofficialYears`: for such a year only weekends are
 * known, so a deadline there may fall on a public holiday and the caller must say so.
 */
export interface WorkingCalendar {
  isWorkingDay(date: string): boolean;
  addWorkingDays(date: string, n: number): { date: string; unofficialYears: number[] };
  workingDaysBetween(from: string, to: string): { days: number; unofficialYears: number[] };
  localDate(ms: number): string;
  startOfLocalDay(date: string): number;
  endOfLocalDay(date: string): number;
  isSupportHours(ms: number): boolean;
  nextSupportOpening(ms: number): number;
  addBusinessHours(startMs: number, hours: number): { at: number; unofficialYears: number[] };
  businessMsBetween(a: number, b: number): { ms: number; unofficialYears: number[] };
  officialYears(): number[];
  hasOfficialData(year: number): boolean;
}

const HOUR_MS = 3_600_000;

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function requireInstant(ms: number, name: string): void {
  if (!Number.isFinite(ms)) throw new RangeError(`${name} must be epoch milliseconds, got ${ms}`);
}

/** The calendar's data turned into day sets and local-time helpers, shared by the arithmetic below. */
interface Days {
  /** Whether a local day (day number) is worked: weekends unless made workdays, weekdays unless holidays. */
  working(day: number): boolean;
  /** The local day an instant falls on. */
  dayOf(ms: number): number;
  /** The instant a local day starts. */
  midnight(day: number): number;
  /** Years lacking official data among days first..last. */
  unofficialIn(first: number, last: number): number[];
  /** Support opens and closes this long after local midnight. */
  openMs: number;
  closeMs: number;
  official: ReadonlySet<number>;
}

function daysOf(data: CalendarData): Days {
  const offsetMs = data.utcOffsetMinutes * 60_000;
  const official = new Set(Object.keys(data.years).map(Number));
  const holidays = new Set<number>();
  const workdays = new Set<number>();
  for (const year of Object.values(data.years)) {
    for (const d of year.holidays) holidays.add(toDayNumber(d));
    for (const d of year.workdays) workdays.add(toDayNumber(d));
  }
  return {
    // Without official data a year falls back to weekends, which is what the sets give anyway.
    working: (day) => (isWeekendDay(day) ? workdays.has(day) : !holidays.has(day)),
    dayOf: (ms) => Math.floor((ms + offsetMs) / DAY_MS),
    midnight: (day) => day * DAY_MS - offsetMs,
    // The days scanned are always contiguous, so the years between first and last are all touched.
    unofficialIn(first, last) {
      const years: number[] = [];
      if (first > last) return years;
      for (let y = yearOfDay(first); y <= yearOfDay(last); y++) if (!official.has(y)) years.push(y);
      return years;
    },
    openMs: minutesOf(data.supportHours.start) * 60_000,
    closeMs: minutesOf(data.supportHours.end) * 60_000,
    official,
  };
}

function nextSupportOpening(c: Days, ms: number): number {
  requireInstant(ms, 'ms');
  let day = c.dayOf(ms);
  if (c.working(day)) {
    const t = ms - c.midnight(day);
    if (t < c.openMs) return c.midnight(day) + c.openMs;
    if (t < c.closeMs) return ms;
  }
  day++;
  while (!c.working(day)) day++;
  return c.midnight(day) + c.openMs;
}

function addWorkingDays(c: Days, date: string, n: number): { date: string; unofficialYears: number[] } {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a whole number >= 0, got ${n}`);
  const start = toDayNumber(date);
  let day = start;
  for (let left = n; left > 0; ) {
    day++;
    if (c.working(day)) left--;
  }
  return { date: fromDayNumber(day), unofficialYears: c.unofficialIn(start + 1, day) };
}

function workingDaysBetween(c: Days, from: string, to: string): { days: number; unofficialYears: number[] } {
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  if (b < a) {
    const back = workingDaysBetween(c, to, from);
    return { days: -back.days, unofficialYears: back.unofficialYears };
  }
  let days = 0;
  for (let day = a + 1; day <= b; day++) if (c.working(day)) days++;
  return { days, unofficialYears: c.unofficialIn(a + 1, b) };
}

function addBusinessHours(c: Days, startMs: number, hours: number): { at: number; unofficialYears: number[] } {
  requireInstant(startMs, 'startMs');
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be >= 0, got ${hours}`);
  let remaining = Math.round(hours * HOUR_MS);
  // The clock starts at the next opening: a ticket raised at night waits for the morning.
  let cursor = nextSupportOpening(c, startMs);
  for (;;) {
    const close = c.midnight(c.dayOf(cursor)) + c.closeMs;
    if (remaining <= close - cursor) break;
    remaining -= close - cursor;
    cursor = nextSupportOpening(c, close);
  }
  const at = cursor + remaining;
  return { at, unofficialYears: c.unofficialIn(c.dayOf(startMs), c.dayOf(at)) };
}

function businessMsBetween(c: Days, a: number, b: number): { ms: number; unofficialYears: number[] } {
  requireInstant(a, 'a');
  requireInstant(b, 'b');
  if (b < a) {
    const back = businessMsBetween(c, b, a);
    return { ms: -back.ms, unofficialYears: back.unofficialYears };
  }
  if (a === b) return { ms: 0, unofficialYears: [] };
  const first = c.dayOf(a);
  // b is exclusive: an interval ending at midnight does not touch the next day.
  const last = c.dayOf(b - 1);
  let ms = 0;
  for (let day = first; day <= last; day++) {
    if (!c.working(day)) continue;
    const from = Math.max(a, c.midnight(day) + c.openMs);
    const to = Math.min(b, c.midnight(day) + c.closeMs);
    if (to > from) ms += to - from;
  }
  return { ms, unofficialYears: c.unofficialIn(first, last) };
}

/** A working calendar over validated data (throws a ZodError on invalid data). */
export function createWorkingCalendar(input: CalendarData): WorkingCalendar {
  const c = daysOf(CalendarData.parse(input));
  return {
    isWorkingDay: (date) => c.working(toDayNumber(date)),
    addWorkingDays: (date, n) => addWorkingDays(c, date, n),
    workingDaysBetween: (from, to) => workingDaysBetween(c, from, to),
    localDate(ms) {
      requireInstant(ms, 'ms');
      return fromDayNumber(c.dayOf(ms));
    },
    startOfLocalDay: (date) => c.midnight(toDayNumber(date)),
    endOfLocalDay: (date) => c.midnight(toDayNumber(date) + 1),
    isSupportHours(ms) {
      requireInstant(ms, 'ms');
      const day = c.dayOf(ms);
      const t = ms - c.midnight(day);
      return c.working(day) && t >= c.openMs && t < c.closeMs;
    },
    nextSupportOpening: (ms) => nextSupportOpening(c, ms),
    addBusinessHours: (startMs, hours) => addBusinessHours(c, startMs, hours),
    businessMsBetween: (a, b) => businessMsBetween(c, a, b),
    officialYears: () => [...c.official].sort((x, y) => x - y),
    hasOfficialData: (year) => c.official.has(year),
  };
}
