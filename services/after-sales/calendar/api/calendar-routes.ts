import { z } from 'zod';
import { AppError } from '../../../kernel/app-error.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import type { Clock } from '../../../kernel/clock.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { CalendarService } from '../calendar-service.ts';
import { CalendarYear } from '../domain/calendar-data.ts';
import { type HolidayKind, holidayKindsOf, holidayName, workdayName } from '../domain/holiday-names.ts';
import { Locale } from '../../../kernel/locale.ts';

/** What the calendar routes need. */
export interface CalendarRouteDeps {
  calendar: CalendarService;
  clock: Clock;
  logger: Logger;
}

const defineRoute = routesFor<CalendarRouteDeps>();

const YearView = z.object({
  year: z.number().int(),
  source: z.string(),
  origin: z.enum(['shipped', 'override']).describe('shipped with the service, or added by an admin'),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
  holidayNames: z
    .record(z.string(), z.string())
    .describe(
      "each holiday's festival in the answer's language (春节, National Day…), by date; 法定节假日 / Public holiday when no festival explains it",
    ),
  workdayNames: z
    .record(z.string(), z.string())
    .describe('each make-up working day, by date, named for the holiday it is worked in exchange for (春节调休上班…)'),
});

const CalendarView = z.object({
  lang: Locale.describe('the language of the holiday and working-day names'),
  years: z.array(YearView),
  missingYears: z.array(z.number().int()).describe('this year and next without official data: deadlines there count weekends only'),
  overrideFile: z.string().describe("where the admin's years are kept: the calendar file's path on a single node, the database on PostgreSQL"),
});

const YearParams = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/, 'a year, YYYY')
    .transform(Number),
});

type YearInfo = ReturnType<CalendarService['years']>[number];

/** One official year with its holidays and make-up working days named in `locale`. */
function namedYear(year: YearInfo, locale: Locale) {
  const kinds = holidayKindsOf(year);
  const names = (byDate: Record<string, HolidayKind[]>, name: typeof holidayName) =>
    Object.fromEntries(Object.entries(byDate).map(([date, k]) => [date, name(k, locale)]));
  return { ...year, holidayNames: names(kinds.holidays, holidayName), workdayNames: names(kinds.workdays, workdayName) };
}

function view(deps: CalendarRouteDeps, locale: Locale) {
  const { calendar } = deps;
  const thisYear = Number(calendar.current().localDate(deps.clock()).slice(0, 4));
  return {
    lang: locale,
    years: calendar.years().map((year) => namedYear(year, locale)),
    missingYears: [thisYear, thisYear + 1].filter((y) => !calendar.current().hasOfficialData(y)),
    overrideFile: calendar.where,
  };
}

export const calendarRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/calendar',
    summary:
      "The working-day calendar deadlines are counted with: official years, where they come from, and each holiday's and make-up working day's name in the request's language",
    tag: 'calendar',
    access: 'aftersales:read',
    localized: true,
    response: CalendarView,
    handler: async ({ deps, locale }) => view(deps, locale),
  }),
  defineRoute({
    method: 'put',
    path: '/api/calendar/years/:year',
    summary:
      "Adds or replaces one year's official holidays and make-up working days (written to the calendar file, or to the database on PostgreSQL, where every node applies it)",
    tag: 'calendar',
    access: 'calendar:manage',
    params: YearParams,
    body: CalendarYear,
    localized: true,
    response: CalendarView,
    errors: ['CALENDAR_INVALID'],
    async handler({ params, body, deps, user, locale }) {
      try {
        await deps.calendar.putYear(params.year, body, user.username);
      } catch (err) {
        throw new AppError('CALENDAR_INVALID', { message: (err as Error).message });
      }
      deps.logger.info({ year: params.year, by: user.username }, 'calendar year replaced');
      return view(deps, locale);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/calendar/reload',
    summary: "Reads the admin's years again: the calendar file after a hand edit, or the database",
    tag: 'calendar',
    access: 'calendar:manage',
    localized: true,
    response: CalendarView,
    errors: ['CALENDAR_INVALID'],
    async handler({ deps, locale }) {
      try {
        await deps.calendar.reload();
      } catch (err) {
        throw new AppError('CALENDAR_INVALID', { message: (err as Error).message });
      }
      return view(deps, locale);
    },
  }),
];
