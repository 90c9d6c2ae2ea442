import { z } from 'zod';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import { isWeekendDay, toDayNumber } from './day-number.ts';

/** Clock time `HH:MM`, 00:00 to 23:59. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'times are HH:MM, 00:00 to 23:59');

export const SupportHours = z
  .object({ start: ClockTime, end: ClockTime })
  .strict()
  // Zero-padded HH:MM strings compare like the times they name.
  .refine((h) => h.start < h.end, { message: 'supportHours.start must be before supportHours.end', path: ['end'] });
export type SupportHours = z.infer<typeof SupportHours>;

/**
 * One year's official schedule. Only deviations from the Monday-to-Friday week are listed:
 * `holidays` are weekdays off, `workdays` are weekend days worked in exchange (调休).
 */
export const CalendarYear = z
  .object({
    source: z.string().trim().min(1, 'source: say where the schedule comes from'),
    holidays: z.array(CalendarDate),
    workdays: z.array(CalendarDate),
  })
  .strict();
export type CalendarYear = z.infer<typeof CalendarYear>;

const YearKey = z.string().regex(/^\d{4}$/, 'year keys are YYYY');

// Null for a string that is not a date; CalendarDate has already reported it.
function weekend(date: string): boolean | null {
  return CalendarDate.safeParse(date).success ? isWeekendDay(toDayNumber(date)) : null;
}

// The checks need the year key, so they run over the whole record rather than per entry.
const Years = z.record(YearKey, CalendarYear).superRefine((years, ctx) => {
  for (const [year, entry] of Object.entries(years)) {
    const holidays = new Set<string>();
    entry.holidays.forEach((date, i) => {
      const path = [year, 'holidays', i];
      if (!date.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', path, message: `${date} is listed under year ${year}` });
      else if (holidays.has(date)) ctx.addIssue({ code: 'custom', path, message: `${date} is listed twice as a holiday` });
      else if (weekend(date) === true) ctx.addIssue({ code: 'custom', path, message: `${date} is a weekend day; holidays lists only weekdays off` });
      holidays.add(date);
    });
    const workdays = new Set<string>();
    entry.workdays.forEach((date, i) => {
      const path = [year, 'workdays', i];
      if (!date.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', path, message: `${date} is listed under year ${year}` });
      else if (workdays.has(date)) ctx.addIssue({ code: 'custom', path, message: `${date} is listed twice as a workday` });
      else if (holidays.has(date)) ctx.addIssue({ code: 'custom', path, message: `${date} is listed both as a holiday and as a workday` });
      else if (weekend(date) === false)
        ctx.addIssue({ code: 'custom', path, message: `${date} is a weekday; workdays lists only weekend days worked` });
      workdays.add(date);
    });
  }
});

const calendarFields = {
  region: z.string().trim().min(1),
  // China keeps UTC+8 all year; a fixed offset is all the calendar models (no DST).
  utcOffsetMinutes: z.number().int().min(-720).max(840),
  supportHours: SupportHours,
  years: Years,
};

/** A region's working-day calendar: time zone, support hours and the official years known. */
export const CalendarData = z.object(calendarFields).strict();
export type CalendarData = z.infer<typeof CalendarData>;

/**
 * An admin-maintained file layered over the shipped calendar, usually holding only `years`,
 * so next year's official schedule can go live without a release.
 */
export const CalendarOverride = z.object(calendarFields).partial().strict();
export type CalendarOverride = z.infer<typeof CalendarOverride>;

/** Override fields replace shipped ones; a year in the override replaces that whole year. */
export function mergeCalendars(shipped: CalendarData, override: CalendarOverride): CalendarData {
  return {
    region: override.region ?? shipped.region,
    utcOffsetMinutes: override.utcOffsetMinutes ?? shipped.utcOffsetMinutes,
    supportHours: override.supportHours ?? shipped.supportHours,
    years: { ...shipped.years, ...override.years },
  };
}
