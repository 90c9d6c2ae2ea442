import type { WorkingDays } from '../domain/working-days.ts';

/**
 * A small stand-in for the real calendar, for domain tests: Saturday and Sunday are off
 * unless listed as make-up working days; listed holidays are off. Years outside
 * `officialYears` are reported as unofficial, as the real calendar does for years it has
 * no published holiday data for.
 */
export interface FakeCalendarOptions {
  holidays?: readonly string[];
  makeUpDays?: readonly string[];
  officialYears?: readonly number[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
// China Standard Time has no daylight saving; a fixed offset is exact.
const CHINA_OFFSET_MS = 8 * HOUR_MS;
const OPEN_HOUR = 9;
const CLOSE_HOUR = 18;

function dateToUtcMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function utcMsToDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function nextDate(date: string, step = 1): string {
  return utcMsToDate(dateToUtcMs(date) + step * DAY_MS);
}

export function fakeWorkingDays(options: FakeCalendarOptions = {}): WorkingDays {
  const holidays = new Set(options.holidays ?? []);
  const makeUp = new Set(options.makeUpDays ?? []);
  const official = options.officialYears ? new Set(options.officialYears) : null;

  const isWorkingDay = (date: string): boolean => {
    if (holidays.has(date)) return false;
    if (makeUp.has(date)) return true;
    const weekday = new Date(dateToUtcMs(date)).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  };
  const yearsOf = (dates: Iterable<string>): number[] => {
    if (!official) return [];
    const years = new Set<number>();
    for (const d of dates) {
      const y = Number(d.slice(0, 4));
      if (!official.has(y)) years.add(y);
    }
    return [...years].sort((a, b) => a - b);
  };

  const localDate = (ms: number): string => utcMsToDate(ms + CHINA_OFFSET_MS);
  const startOfLocalDay = (date: string): number => dateToUtcMs(date) - CHINA_OFFSET_MS;

  return {
    addWorkingDays(date, n) {
      const visited = [date];
      let cur = date;
      let left = Math.abs(n);
      const step = n < 0 ? -1 : 1;
      while (left > 0) {
        cur = nextDate(cur, step);
        visited.push(cur);
        if (isWorkingDay(cur)) left -= 1;
      }
      return { date: cur, unofficialYears: yearsOf(visited) };
    },
    workingDaysBetween(from, to) {
      const visited = [from, to];
      let days = 0;
      for (let cur = nextDate(from); cur <= to; cur = nextDate(cur)) {
        visited.push(cur);
        if (isWorkingDay(cur)) days += 1;
      }
      return { days, unofficialYears: yearsOf(visited) };
    },
    localDate,
    endOfLocalDay(date) {
      return startOfLocalDay(nextDate(date));
    },
    addBusinessHours(startMs, hours) {
      let left = hours * HOUR_MS;
      let date = localDate(startMs);
      let at = startMs;
      const visited = [date];
      for (;;) {
        const open = startOfLocalDay(date) + OPEN_HOUR * HOUR_MS;
        const close = startOfLocalDay(date) + CLOSE_HOUR * HOUR_MS;
        if (isWorkingDay(date) && at < close) {
          const from = Math.max(at, open);
          if (from + left <= close) return { at: from + left, unofficialYears: yearsOf(visited) };
          left -= close - from;
        }
        date = nextDate(date);
        visited.push(date);
        at = startOfLocalDay(date);
      }
    },
  };
}

/**
 * 2025 around National Day: 1–8 October off, Sunday 28 September and Saturday
 * 11 October worked instead. Only 2025 counts as official.
 */
export const NATIONAL_DAY_2025: FakeCalendarOptions = {
  holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
  makeUpDays: ['2025-09-28', '2025-10-11'],
  officialYears: [2025],
};

/** The instant of a China local wall-clock time, e.g. `chinaTime('2025-09-30', 16)`. */
export function chinaTime(date: string, hour = 0, minute = 0): number {
  return dateToUtcMs(date) - CHINA_OFFSET_MS + hour * HOUR_MS + minute * 60_000;
}
