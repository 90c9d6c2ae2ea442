import type { RepairClock } from './rma-ticket.ts';
import { mergeYears, type WorkingDays } from './working-days.ts';

/**
 * The repair-cycle clock. Seed: the cycle is counted "excluding the transportation process
 * and the time taken for collecting maintenance fees", so it starts when the box is
 * received and stands still while the customer decides and pays.
 */

/** A clock started on receipt; the receipt day itself is not counted. */
export function startClock(today: string): RepairClock {
  return { startedOn: today, runningSince: today, workingDaysUsed: 0, pausedAt: null, unofficialYears: [] };
}

/** Working days used so far, including the running stretch up to `today`. */
export function workingDaysUsed(clock: RepairClock, today: string, calendar: WorkingDays): { days: number; unofficialYears: number[] } {
  if (clock.runningSince === null) return { days: clock.workingDaysUsed, unofficialYears: clock.unofficialYears };
  const stretch = calendar.workingDaysBetween(clock.runningSince, today);
  return {
    days: clock.workingDaysUsed + stretch.days,
    unofficialYears: mergeYears(clock.unofficialYears, stretch.unofficialYears),
  };
}

/** Stops the clock; the day it stops counts as used. A stopped clock stays as it is. */
export function pauseClock(clock: RepairClock, now: number, calendar: WorkingDays): RepairClock {
  if (clock.runningSince === null) return clock;
  const used = workingDaysUsed(clock, calendar.localDate(now), calendar);
  return { ...clock, runningSince: null, workingDaysUsed: used.days, pausedAt: now, unofficialYears: used.unofficialYears };
}

/**
 * Restarts the clock today. With `countPausedDays` the days since the pause count as
 * used: the repair was still going on (a failed final test), not waiting for the customer.
 */
export function resumeClock(clock: RepairClock, now: number, calendar: WorkingDays, countPausedDays: boolean): RepairClock {
  if (clock.runningSince !== null) return clock;
  const today = calendar.localDate(now);
  let { workingDaysUsed: used, unofficialYears } = clock;
  if (countPausedDays && clock.pausedAt !== null) {
    const gap = calendar.workingDaysBetween(calendar.localDate(clock.pausedAt), today);
    used += gap.days;
    unofficialYears = mergeYears(unofficialYears, gap.unofficialYears);
  }
  return { ...clock, runningSince: today, workingDaysUsed: used, pausedAt: null, unofficialYears };
}
