import { z } from 'zod';

/*
 * Sale and receipt dates, holidays, deadlines and repaired-on dates are all calendar days,
 * validated alike wherever they enter; one schema keeps "2025-02-30" refused everywhere.
 */

/** A calendar date `YYYY-MM-DD` that exists (2025-02-30 is refused). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'not a calendar date');
