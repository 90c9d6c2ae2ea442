import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../kernel/clock.ts';
import { type Db, dialectOf } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { type CalendarData, type CalendarOverride, type CalendarYear, mergeCalendars } from './domain/calendar-data.ts';
import { createWorkingCalendar, type WorkingCalendar } from './domain/working-calendar.ts';
import { calendarFileStore, loadCalendarFile, loadCalendarOverride, SHIPPED_CALENDAR_PATH } from './store/calendar-file.ts';
import type { CalendarOverrideStore } from './store/calendar-override-store.ts';
import { calendarTableStore, importCalendarOverride } from './store/calendar-table.ts';

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
  /** Stores one year with the admin's years and applies it; the shipped file is never touched. */
  putYear(year: number, data: CalendarYear, by: string | null): Promise<CalendarYearInfo[]>;
  /** Reads the admin's years again: after a hand edit of the file, or another node's change. */
  reload(): Promise<CalendarYearInfo[]>;
  /** Told after this node stored a year, so other nodes can reload. */
  onChange(listener: () => void): void;
  /** Where the admin's years are kept (the file's path, or the database). */
  readonly where: string;
}

/**
 * The working-day calendar every deadline is counted with: the shipped official years plus
 * the admin's, because next year's holiday schedule is published late in the year and must
 * not wait for a release.
 */
export async function openCalendarService(opts: { store: CalendarOverrideStore; logger: Logger; clock: Clock }): Promise<CalendarService> {
  const { store } = opts;
  const log = opts.logger.child({ component: 'calendar' });
  const shipped = loadCalendarFile(SHIPPED_CALENDAR_PATH);
  let override: CalendarOverride = {};
  let data: CalendarData = shipped;
  let calendar: WorkingCalendar = createWorkingCalendar(shipped);
  const listeners: Array<() => void> = [];
  // One change at a time: two writes finishing out of order must not leave the older applied.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(step: () => Promise<T>): Promise<T> => {
    const next = turn.then(step, step);
    turn = next.catch(() => undefined);
    return next;
  };

  // Validated as part of the whole calendar: a year that breaks it is refused before it is stored.
  const check = (next: CalendarOverride) => createWorkingCalendar(mergeCalendars(shipped, next));

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
        { missingYears: missing, where: store.where },
        `no official holiday data for ${missing.join(', ')}: deadlines there count weekends only until an admin adds the year`,
      );
    }
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

  apply(await store.read());
  return {
    where: store.where,
    current: () => calendar,
    years,
    putYear: (year, yearData, by) =>
      inTurn(async () => {
        apply(await store.putYear(year, yearData, by, check));
        log.info({ year, by, where: store.where }, 'holiday calendar year updated');
        for (const listener of listeners) listener();
        return years();
      }),
    reload: () =>
      inTurn(async () => {
        apply(await store.read());
        return years();
      }),
    onChange(listener) {
      listeners.push(listener);
    },
  };
}

/** The override file: CALENDAR_FILE, else `calendar.json` in the data directory. */
export function calendarOverridePath(config: { CALENDAR_FILE?: string | undefined; DATA_DIR: string }): string {
  return config.CALENDAR_FILE ?? path.join(config.DATA_DIR, 'calendar.json');
}

/**
 * Where this node keeps the admin's years: its calendar file on SQLite (a single node); the
 * database on PostgreSQL, where every node must count with the same years. A calendar file
 * found there is moved into an empty database once, and ignored after that, with a warning.
 */
export async function openCalendarStore(
  config: { CALENDAR_FILE?: string | undefined; DATA_DIR: string },
  db: Db,
  deps: { logger: Logger; clock: Clock },
): Promise<CalendarOverrideStore> {
  const file = calendarOverridePath(config);
  if (dialectOf(db) === 'sqlite') return calendarFileStore(file);
  if (existsSync(file)) {
    const log = deps.logger.child({ component: 'calendar' });
    if (await importCalendarOverride(db, loadCalendarOverride(file), deps.clock)) {
      log.info({ file }, 'the holiday years of the calendar file are now kept in the database, for every node');
    } else {
      log.warn({ file }, 'this calendar file is not read: on PostgreSQL the holiday years are kept in the database (PUT /api/calendar/years/:year)');
    }
  }
  return calendarTableStore(db, deps.clock);
}
