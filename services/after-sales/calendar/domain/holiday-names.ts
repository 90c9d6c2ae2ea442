import type { Locale } from '../../../kernel/locale.ts';
import type { CalendarYear } from './calendar-data.ts';
import { fromDayNumber, isWeekendDay, toDayNumber } from './day-number.ts';

/*
 * Which festival a day off belongs to, so the calendar can name China's public holidays in the
 * reader's language. The official files (calendar-data.ts) list dates only; a holiday is named by
 * the festival its run of days off contains: a fixed date (New Year, Labour Day, National Day),
 * Qingming's solar term (4 to 6 April), or a day of the Chinese lunar calendar (Spring Festival,
 * Dragon Boat, Mid-Autumn), read with the platform's Intl. Nothing is stored: ids only.
 */

export const HOLIDAY_KINDS = [
  'new-year',
  'spring-festival',
  'qingming',
  'labour-day',
  'dragon-boat',
  'mid-autumn',
  'national-day',
  'public-holiday',
] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

/** The festivals in both languages side by side; `public-holiday` names a day off no festival explains. */
export const HOLIDAY_NAMES: Readonly<Record<HolidayKind, Readonly<Record<Locale, string>>>> = {
  'new-year': { en: 'New Year’s Day', 'zh-CN': '元旦' },
  'spring-festival': { en: 'Spring Festival', 'zh-CN': '春节' },
  qingming: { en: 'Qingming Festival', 'zh-CN': '清明节' },
  'labour-day': { en: 'Labour Day', 'zh-CN': '劳动节' },
  'dragon-boat': { en: 'Dragon Boat Festival', 'zh-CN': '端午节' },
  'mid-autumn': { en: 'Mid-Autumn Festival', 'zh-CN': '中秋节' },
  'national-day': { en: 'National Day', 'zh-CN': '国庆节' },
  'public-holiday': { en: 'Public holiday', 'zh-CN': '法定节假日' },
};

const WORKDAY_WORDS: Readonly<Record<Locale, { join: (names: string[]) => string; workday: (holiday: string) => string }>> = {
  en: { join: (names) => names.join(' and '), workday: (holiday) => `Working day (make-up for ${holiday})` },
  'zh-CN': { join: (names) => names.join('、'), workday: (holiday) => `${holiday}调休上班` },
};

const lunar = new Intl.DateTimeFormat('en-u-ca-chinese', { timeZone: 'UTC', month: 'numeric', day: 'numeric' });

/** The lunar month and day, `M/D`; a leap month reads `Mbis`, so it never matches a festival. */
function lunarDate(date: string): string {
  const parts = lunar.formatToParts(new Date(`${date}T00:00:00Z`));
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('month')}/${part('day')}`;
}

function festivalOn(date: string): HolidayKind | null {
  const monthDay = date.slice(5);
  if (monthDay === '01-01') return 'new-year';
  if (monthDay === '05-01') return 'labour-day';
  if (monthDay === '10-01') return 'national-day';
  // Qingming falls on 4, 5 or 6 April (the solar term), whatever the lunar date.
  if (monthDay >= '04-04' && monthDay <= '04-06') return 'qingming';
  const festival: Record<string, HolidayKind> = { '1/1': 'spring-festival', '5/5': 'dragon-boat', '8/15': 'mid-autumn' };
  return festival[lunarDate(date)] ?? null;
}

// Beyond any official run of days off (the longest, Spring Festival or National Day, is 8 or 9).
const MAX_RUN_DAYS = 12;

/** The festivals of one official year, by holiday and by make-up working day. */
export interface YearHolidayKinds {
  holidays: Record<string, HolidayKind[]>;
  workdays: Record<string, HolidayKind[]>;
}

/** Each holiday's festival(s), from its run of days off; each make-up working day's, from the nearest holiday. */
export function holidayKindsOf(year: Pick<CalendarYear, 'holidays' | 'workdays'>): YearHolidayKinds {
  const holidays = new Set(year.holidays.map(toDayNumber));
  const workdays = new Set(year.workdays.map(toDayNumber));
  const off = (day: number) => holidays.has(day) || (isWeekendDay(day) && !workdays.has(day));
  const kindsOf = (day: number): HolidayKind[] => {
    let first = day;
    let last = day;
    while (off(first - 1) && day - first < MAX_RUN_DAYS) first -= 1;
    while (off(last + 1) && last - day < MAX_RUN_DAYS) last += 1;
    const kinds: HolidayKind[] = [];
    for (let d = first; d <= last; d += 1) {
      const kind = festivalOn(fromDayNumber(d));
      if (kind && !kinds.includes(kind)) kinds.push(kind);
    }
    return kinds.length > 0 ? kinds : ['public-holiday'];
  };
  const byHoliday = Object.fromEntries(year.holidays.map((date) => [date, kindsOf(toDayNumber(date))]));
  const nearestHoliday = (day: number): number | undefined =>
    [...holidays].sort((a, b) => Math.abs(a - day) - Math.abs(b - day) || a - b).find((h) => Math.abs(h - day) <= MAX_RUN_DAYS);
  const byWorkday = Object.fromEntries(
    year.workdays.map((date) => {
      const holiday = nearestHoliday(toDayNumber(date));
      return [date, holiday === undefined ? (['public-holiday'] as HolidayKind[]) : kindsOf(holiday)];
    }),
  );
  return { holidays: byHoliday, workdays: byWorkday };
}

/** A holiday's name in `locale`: its festival(s), e.g. 国庆节、中秋节. */
export function holidayName(kinds: readonly HolidayKind[], locale: Locale): string {
  return WORKDAY_WORDS[locale].join(kinds.map((k) => HOLIDAY_NAMES[k][locale]));
}

/** A make-up working day's name in `locale`, e.g. 春节调休上班. */
export function workdayName(kinds: readonly HolidayKind[], locale: Locale): string {
  return WORKDAY_WORDS[locale].workday(holidayName(kinds, locale));
}
