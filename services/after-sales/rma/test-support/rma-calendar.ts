import type { CalendarData, CalendarYear } from '../../calendar/domain/calendar-data.ts';
import { createWorkingCalendar, type WorkingCalendar } from '../../calendar/domain/working-calendar.ts';

/**
 * China's official 2025 schedule, as shipped in calendar/data/cn-calendar.json, fixed here so
 * the RMA tests do not move when the shipped file gains a year. Around National Day:
 * 1–8 October off, Sunday 28 September and Saturday 11 October worked instead.
 */
export const CN_2025: CalendarYear = {
  source: 'State Council General Office notice 国办发明电〔2024〕12号',
  holidays: [
    '2025-01-01',
    '2025-01-28',
    '2025-01-29',
    '2025-01-30',
    '2025-01-31',
    '2025-02-03',
    '2025-02-04',
    '2025-04-04',
    '2025-05-01',
    '2025-05-02',
    '2025-05-05',
    '2025-06-02',
    '2025-10-01',
    '2025-10-02',
    '2025-10-03',
    '2025-10-06',
    '2025-10-07',
    '2025-10-08',
  ],
  workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
};

/** Calendar data for China with only the given official years; any other year counts weekends only. */
export function chinaCalendarData(years: Record<string, CalendarYear>): CalendarData {
  return { region: 'CN', utcOffsetMinutes: 480, supportHours: { start: '09:00', end: '18:00' }, years };
}

/** The real working calendar over 2025 only, so 2026 is a year without official data. */
export const calendar: WorkingCalendar = createWorkingCalendar(chinaCalendarData({ 2025: CN_2025 }));

const HOUR_MS = 3_600_000;

/** The instant of a China local wall-clock time, e.g. `chinaTime('2025-09-30', 16)`. */
export function chinaTime(date: string, hour = 0, minute = 0): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // China Standard Time is UTC+8 all year.
  return Date.UTC(y, m - 1, d) - 8 * HOUR_MS + hour * HOUR_MS + minute * 60_000;
}
