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

/** A working calendar over validated data (throws a ZodError on invalid data). */
export function createWorkingCalendar(input: CalendarData): WorkingCalendar {
  const data = CalendarData.parse(input);
  const offsetMs = data.utcOffsetMinutes * 60_000;
  const openMs = minutesOf(data.supportHours.start) * 60_000;
  const closeMs = minutesOf(data.supportHours.end) * 60_000;
  const official = new Set(Object.keys(data.years).map(Number));
  const holidays = new Set<number>();
  const workdays = new Set<number>();
  for (const year of Object.values(data.years)) {
    for (const d of year.holidays) holidays.add(toDayNumber(d));
    for (const d of year.workdays) workdays.add(toDayNumber(d));
  }

  // Without official data a year falls back to weekends, which is what the sets give anyway.
  const working = (day: number): boolean => (isWeekendDay(day) ? workdays.has(day) : !holidays.has(day));
  const dayOf = (ms: number): number => Math.floor((ms + offsetMs) / DAY_MS);
  const midnight = (day: number): number => day * DAY_MS - offsetMs;

  // Years lacking official data among days first..last; the days scanned are always contiguous.
  const unofficialIn = (first: number, last: number): number[] => {
    const years: number[] = [];
    if (first > last) return years;
    for (let y = yearOfDay(first); y <= yearOfDay(last); y++) if (!official.has(y)) years.push(y);
    return years;
  };

  const nextSupportOpening = (ms: number): number => {
    requireInstant(ms, 'ms');
    let day = dayOf(ms);
    if (working(day)) {
      const t = ms - midnight(day);
      if (t < openMs) return midnight(day) + openMs;
      if (t < closeMs) return ms;
    }
    day++;
    while (!working(day)) day++;
    return midnight(day) + openMs;
  };

  const workingDaysBetween = (from: string, to: string): { days: number; unofficialYears: number[] } => {
    const a = toDayNumber(from);
    const b = toDayNumber(to);
    if (b < a) {
      const back = workingDaysBetween(to, from);
      return { days: -back.days, unofficialYears: back.unofficialYears };
    }
    let days = 0;
    for (let day = a + 1; day <= b; day++) if (working(day)) days++;
    return { days, unofficialYears: unofficialIn(a + 1, b) };
  };

  const businessMsBetween = (a: number, b: number): { ms: number; unofficialYears: number[] } => {
    requireInstant(a, 'a');
    requireInstant(b, 'b');
    if (b < a) {
      const back = businessMsBetween(b, a);
      return { ms: -back.ms, unofficialYears: back.unofficialYears };
    }
    if (a === b) return { ms: 0, unofficialYears: [] };
    const first = dayOf(a);
    // b is exclusive: an interval ending at midnight does not touch the next day.
    const last = dayOf(b - 1);
    let ms = 0;
    for (let day = first; day <= last; day++) {
      if (!working(day)) continue;
      const from = Math.max(a, midnight(day) + openMs);
      const to = Math.min(b, midnight(day) + closeMs);
      if (to > from) ms += to - from;
    }
    return { ms, unofficialYears: unofficialIn(first, last) };
  };

  return {
    isWorkingDay: (date) => working(toDayNumber(date)),

    addWorkingDays(date, n) {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a whole number >= 0, got ${n}`);
      const start = toDayNumber(date);
      let day = start;
      for (let left = n; left > 0; ) {
        day++;
        if (working(day)) left--;
      }
      return { date: fromDayNumber(day), unofficialYears: unofficialIn(start + 1, day) };
    },

    workingDaysBetween,

    localDate(ms) {
      requireInstant(ms, 'ms');
      return fromDayNumber(dayOf(ms));
    },
    startOfLocalDay: (date) => midnight(toDayNumber(date)),
    endOfLocalDay: (date) => midnight(toDayNumber(date) + 1),

    isSupportHours(ms) {
      requireInstant(ms, 'ms');
      const day = dayOf(ms);
      const t = ms - midnight(day);
      return working(day) && t >= openMs && t < closeMs;
    },

    nextSupportOpening,

    addBusinessHours(startMs, hours) {
      requireInstant(startMs, 'startMs');
      if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be >= 0, got ${hours}`);
      let remaining = Math.round(hours * HOUR_MS);
      // The clock starts at the next opening: a ticket raised at night waits for the morning.
      let cursor = nextSupportOpening(startMs);
      for (;;) {
        const close = midnight(dayOf(cursor)) + closeMs;
        if (remaining <= close - cursor) break;
        remaining -= close - cursor;
        cursor = nextSupportOpening(close);
      }
      const at = cursor + remaining;
      return { at, unofficialYears: unofficialIn(dayOf(startMs), dayOf(at)) };
    },

    businessMsBetween,

    officialYears: () => [...official].sort((x, y) => x - y),
    hasOfficialData: (year) => official.has(year),
  };
}
