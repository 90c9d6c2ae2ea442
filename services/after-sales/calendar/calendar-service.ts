import { existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { CalendarOverride, mergeCalendars, type CalendarData, type CalendarYear } from './domain/calendar-data.ts';
import { createWorkingCalendar, type WorkingCalendar } from './domain/working-calendar.ts';
import { loadCalendarFile, loadCalendarOverride, SHIPPED_CALENDAR_PATH } from './store/calendar-file.ts';

export interface CalendarYearInfo {
  year: number;
  source: string;
  origin: 'shipped' | 'override';
  holidays: string[];
  workdays: string[];
}

export interface CalendarService {
  current(): WorkingCalendar;
  years(): CalendarYearInfo[];
  /** Writes one year into the admin's override file and applies it; the shipped file is never touched. */
  putYear(year: number, data: CalendarYear): CalendarYearInfo[];
  /** Re-reads the override file, e.g. after an admin edited it by hand. */
  reload(): CalendarYearInfo[];
  overridePath: string;
}

/**
 * The working-day calendar every deadline is counted with: the shipped official years plus
 * an admin-maintained override file, because next year's holiday schedule is published
 * late in the year and must not wait for a release.
 */
export function createCalendarService(opts: { overridePath: string; logger: Logger; clock: Clock }): CalendarService {
  const log = opts.logger.child({ component: 'calendar' });
  const shipped = loadCalendarFile(SHIPPED_CALENDAR_PATH);
  let override: CalendarOverride = {};
  let data: CalendarData = shipped;
  let calendar: WorkingCalendar = createWorkingCalendar(shipped);

  function apply(next: CalendarOverride) {
    const merged = mergeCalendars(shipped, next);
    calendar = createWorkingCalendar(merged);
    override = next;
    data = merged;
    // A deadline reaching into a year without official data is flagged on the ticket; say
    // it here too, once, so whoever runs the service can add the year before it matters.
    const thisYear = Number(calendar.localDate(opts.clock()).slice(0, 4));
    const missing = [thisYear, thisYear + 1].filter((y) => !calendar.hasOfficialData(y));
    if (missing.length > 0) {
      log.warn(
        { missingYears: missing, file: opts.overridePath },
        `no official holiday data for ${missing.join(', ')}: deadlines there count weekends only until an admin adds the year`,
      );
    }
  }

  function load() {
    apply(existsSync(opts.overridePath) ? loadCalendarOverride(opts.overridePath) : {});
  }

  function years(): CalendarYearInfo[] {
    return Object.entries(data.years)
      .map(([year, y]) => ({
        year: Number(year),
        source: y.source,
        origin: override.years?.[year] ? ('override' as const) : ('shipped' as const),
        holidays: [...y.holidays],
        workdays: [...y.workdays],
      }))
      .sort((a, b) => a.year - b.year);
  }

  load();
  return {
    overridePath: opts.overridePath,
    current: () => calendar,
    years,
    putYear(year, yearData) {
      const next = CalendarOverride.parse({ ...override, years: { ...override.years, [String(year)]: yearData } });
      // Validated as part of the whole calendar before anything is written.
      createWorkingCalendar(mergeCalendars(shipped, next));
      const tmp = `${opts.overridePath}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o644 });
      renameSync(tmp, opts.overridePath);
      apply(next);
      log.info({ year, file: opts.overridePath }, 'holiday calendar year updated');
      return years();
    },
    reload() {
      load();
      return years();
    },
  };
}

/** The override file: CALENDAR_FILE, else `calendar.json` in the data directory. */
export function calendarOverridePath(config: { CALENDAR_FILE?: string | undefined; DATA_DIR: string }): string {
  return config.CALENDAR_FILE ?? path.join(config.DATA_DIR, 'calendar.json');
}
