import { z } from 'zod';
import { AppError } from '../../../kernel/app-error.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import type { Clock } from '../../../kernel/clock.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { CalendarService } from '../calendar-service.ts';
import { CalendarYear } from '../domain/calendar-data.ts';

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
  origin: z.enum(['shipped', 'override']).describe("shipped with the service, or from the admin's calendar file"),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
});

const CalendarView = z.object({
  years: z.array(YearView),
  missingYears: z.array(z.number().int()).describe('this year and next without official data: deadlines there count weekends only'),
  overrideFile: z.string(),
});

const YearParams = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/, 'a year, YYYY')
    .transform(Number),
});

function view(deps: CalendarRouteDeps) {
  const { calendar } = deps;
  const thisYear = Number(calendar.current().localDate(deps.clock()).slice(0, 4));
  return {
    years: calendar.years(),
    missingYears: [thisYear, thisYear + 1].filter((y) => !calendar.current().hasOfficialData(y)),
    overrideFile: calendar.overridePath,
  };
}

export const calendarRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/calendar',
    summary: 'The working-day calendar deadlines are counted with: official years and where they come from',
    tag: 'calendar',
    access: 'aftersales:read',
    response: CalendarView,
    handler: async ({ deps }) => view(deps),
  }),
  defineRoute({
    method: 'put',
    path: '/api/calendar/years/:year',
    summary: "Adds or replaces one year's official holidays and make-up working days (written to the calendar file)",
    tag: 'calendar',
    access: 'calendar:manage',
    params: YearParams,
    body: CalendarYear,
    response: CalendarView,
    errors: ['CALENDAR_INVALID'],
    async handler({ params, body, deps, user }) {
      try {
        deps.calendar.putYear(params.year, body);
      } catch (err) {
        throw new AppError('CALENDAR_INVALID', { message: (err as Error).message });
      }
      deps.logger.info({ year: params.year, by: user.username }, 'calendar year replaced');
      return view(deps);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/calendar/reload',
    summary: 'Re-reads the calendar file after an admin edited it by hand',
    tag: 'calendar',
    access: 'calendar:manage',
    response: CalendarView,
    errors: ['CALENDAR_INVALID'],
    async handler({ deps }) {
      try {
        deps.calendar.reload();
      } catch (err) {
        throw new AppError('CALENDAR_INVALID', { message: (err as Error).message });
      }
      return view(deps);
    },
  }),
];
