import { describe, expect, it } from 'vitest';
import shipped from '../data/cn-calendar.json' with { type: 'json' };
import { createWorkingCalendar } from './working-calendar.ts';

const cal = createWorkingCalendar(shipped);
const HOUR = 3_600_000;
/** An instant written as Beijing wall-clock time. */
const cst = (local: string): number => Date.parse(`${local}+08:00`);

describe('working days in the shipped China calendar', () => {
  it('works on Sunday 4 January 2026, the make-up day for New Year', () => {
    expect(cal.isWorkingDay('2026-01-04')).toBe(true);
    expect(cal.isWorkingDay('2026-01-01')).toBe(false);
    expect(cal.isWorkingDay('2026-01-02')).toBe(false);
    expect(cal.isWorkingDay('2026-01-03')).toBe(false);
    expect(cal.addWorkingDays('2025-12-31', 1)).toEqual({ date: '2026-01-04', unofficialYears: [] });
  });

  it('keeps ordinary weekends off and ordinary weekdays on', () => {
    expect(cal.isWorkingDay('2026-03-07')).toBe(false);
    expect(cal.isWorkingDay('2026-03-08')).toBe(false);
    expect(cal.isWorkingDay('2026-03-09')).toBe(true);
  });

  it('skips the 2026 Spring Festival weekdays and counts the make-up Saturdays 14 and 28 February', () => {
    for (const d of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23']) {
      expect(cal.isWorkingDay(d), d).toBe(false);
    }
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.isWorkingDay('2026-02-28')).toBe(true);
    expect(cal.addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-13', 2).date).toBe('2026-02-24');
    expect(cal.addWorkingDays('2026-02-13', 6).date).toBe('2026-02-28');
    expect(cal.addWorkingDays('2026-02-13', 7).date).toBe('2026-03-02');
    expect(cal.workingDaysBetween('2026-02-13', '2026-03-02')).toEqual({ days: 7, unofficialYears: [] });
  });

  it('skips the 2026 National Day week and counts the make-up Saturday 10 October', () => {
    for (const d of ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']) {
      expect(cal.isWorkingDay(d), d).toBe(false);
    }
    expect(cal.isWorkingDay('2026-09-20')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    expect(cal.addWorkingDays('2026-09-30', 1).date).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-09-30', 3).date).toBe('2026-10-10');
    expect(cal.addWorkingDays('2026-09-30', 4).date).toBe('2026-10-12');
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-12')).toEqual({ days: 4, unofficialYears: [] });
  });

  it('returns the date itself for zero working days, even on a day off', () => {
    expect(cal.addWorkingDays('2026-10-03', 0)).toEqual({ date: '2026-10-03', unofficialYears: [] });
  });

  it('counts working days in (from, to], negative when to is earlier', () => {
    expect(cal.workingDaysBetween('2026-03-09', '2026-03-09').days).toBe(0);
    expect(cal.workingDaysBetween('2026-03-09', '2026-03-10').days).toBe(1);
    expect(cal.workingDaysBetween('2026-10-12', '2026-09-30').days).toBe(-4);
  });

  it('agrees with addWorkingDays for every count across the year end', () => {
    for (let n = 0; n <= 40; n++) {
      const { date } = cal.addWorkingDays('2025-12-20', n);
      expect(cal.workingDaysBetween('2025-12-20', date).days, `n=${n}`).toBe(n);
      expect(cal.isWorkingDay(date) || n === 0).toBe(true);
    }
  });

  it('refuses negative or fractional counts and dates that do not exist', () => {
    expect(() => cal.addWorkingDays('2026-03-09', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-03-09', 1.5)).toThrow(RangeError);
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(RangeError);
  });
});

describe('years without official data', () => {
  it('knows 2025 and 2026 officially and nothing later', () => {
    expect(cal.officialYears()).toEqual([2025, 2026]);
    expect(cal.hasOfficialData(2026)).toBe(true);
    expect(cal.hasOfficialData(2027)).toBe(false);
  });

  it('reports 2027 when a count reaches into it, treating only weekends as off', () => {
    // Thu 31 Dec, then 1 January 2027 counts as working: the holiday is not yet official.
    expect(cal.addWorkingDays('2026-12-30', 2)).toEqual({ date: '2027-01-01', unofficialYears: [2027] });
    expect(cal.addWorkingDays('2026-12-30', 1)).toEqual({ date: '2026-12-31', unofficialYears: [] });
  });

  it('reports every unofficial year a long count crosses', () => {
    expect(cal.addWorkingDays('2026-12-31', 600).unofficialYears).toEqual([2027, 2028, 2029]);
  });

  it('reports a year before the data too', () => {
    expect(cal.workingDaysBetween('2024-12-30', '2025-01-02')).toEqual({ days: 2, unofficialYears: [2024] });
  });
});

describe('local dates in Beijing time', () => {
  it('turns over at midnight UTC+8, not UTC', () => {
    expect(cal.localDate(Date.parse('2026-01-01T15:59:59.999Z'))).toBe('2026-01-01');
    expect(cal.localDate(Date.parse('2026-01-01T16:00:00Z'))).toBe('2026-01-02');
  });

  it('starts a day at local midnight and ends it at the next one', () => {
    expect(cal.startOfLocalDay('2026-03-02')).toBe(Date.parse('2026-03-01T16:00:00Z'));
    expect(cal.endOfLocalDay('2026-03-02')).toBe(Date.parse('2026-03-02T16:00:00Z'));
    expect(cal.endOfLocalDay('2026-12-31')).toBe(cst('2027-01-01T00:00:00'));
  });
});

describe('support hours 09:00-18:00 on working days', () => {
  it('is open from 09:00 up to but not including 18:00', () => {
    expect(cal.isSupportHours(cst('2026-03-09T08:59:59'))).toBe(false);
    expect(cal.isSupportHours(cst('2026-03-09T09:00:00'))).toBe(true);
    expect(cal.isSupportHours(cst('2026-03-09T17:59:59'))).toBe(true);
    expect(cal.isSupportHours(cst('2026-03-09T18:00:00'))).toBe(false);
  });

  it('is closed on weekends and holidays and open on make-up Saturdays', () => {
    expect(cal.isSupportHours(cst('2026-03-07T10:00:00'))).toBe(false);
    expect(cal.isSupportHours(cst('2026-10-05T10:00:00'))).toBe(false);
    expect(cal.isSupportHours(cst('2026-10-10T10:00:00'))).toBe(true);
  });

  it('opens next at 09:00 on the next working day, or now when already open', () => {
    const open = cst('2026-03-09T11:15:00');
    expect(cal.nextSupportOpening(open)).toBe(open);
    expect(cal.nextSupportOpening(cst('2026-03-09T07:00:00'))).toBe(cst('2026-03-09T09:00:00'));
    expect(cal.nextSupportOpening(cst('2026-03-04T20:00:00'))).toBe(cst('2026-03-05T09:00:00'));
    expect(cal.nextSupportOpening(cst('2026-03-06T18:00:00'))).toBe(cst('2026-03-09T09:00:00'));
    expect(cal.nextSupportOpening(cst('2026-09-30T19:00:00'))).toBe(cst('2026-10-08T09:00:00'));
  });
});

describe('first-response deadlines in business hours', () => {
  it('makes a 2-hour ticket raised 17:30 Friday due 10:30 the next working day', () => {
    expect(cal.addBusinessHours(cst('2026-03-06T17:30:00'), 2)).toEqual({ at: cst('2026-03-09T10:30:00'), unofficialYears: [] });
  });

  it('lands on a make-up Saturday when that is the next working day', () => {
    expect(cal.addBusinessHours(cst('2026-02-13T17:30:00'), 2).at).toBe(cst('2026-02-14T10:30:00'));
  });

  it('starts counting at 09:00 the next working day for a ticket raised at 20:00', () => {
    expect(cal.addBusinessHours(cst('2026-03-04T20:00:00'), 2).at).toBe(cst('2026-03-05T11:00:00'));
    expect(cal.addBusinessHours(cst('2026-03-04T20:00:00'), 0).at).toBe(cst('2026-03-05T09:00:00'));
  });

  it('is due at 18:00 when the hours exactly fill the day', () => {
    expect(cal.addBusinessHours(cst('2026-03-09T16:00:00'), 2).at).toBe(cst('2026-03-09T18:00:00'));
  });

  it('runs over several days and over the National Day week', () => {
    expect(cal.addBusinessHours(cst('2026-03-09T09:00:00'), 20).at).toBe(cst('2026-03-11T11:00:00'));
    expect(cal.addBusinessHours(cst('2026-09-30T17:00:00'), 4).at).toBe(cst('2026-10-08T12:00:00'));
  });

  it('reports the unofficial year a deadline falls in', () => {
    expect(cal.addBusinessHours(cst('2026-12-31T17:00:00'), 2)).toEqual({ at: cst('2027-01-01T10:00:00'), unofficialYears: [2027] });
  });

  it('refuses negative hours', () => {
    expect(() => cal.addBusinessHours(cst('2026-03-09T09:00:00'), -1)).toThrow(RangeError);
  });

  it('measures elapsed business time, skipping nights, weekends and holidays', () => {
    expect(cal.businessMsBetween(cst('2026-03-06T17:30:00'), cst('2026-03-09T10:30:00'))).toEqual({ ms: 2 * HOUR, unofficialYears: [] });
    expect(cal.businessMsBetween(cst('2026-03-04T20:00:00'), cst('2026-03-05T09:00:00')).ms).toBe(0);
    expect(cal.businessMsBetween(cst('2026-09-30T17:00:00'), cst('2026-10-08T12:00:00')).ms).toBe(4 * HOUR);
    expect(cal.businessMsBetween(cst('2026-03-09T10:30:00'), cst('2026-03-06T17:30:00')).ms).toBe(-2 * HOUR);
    expect(cal.businessMsBetween(cst('2026-12-31T17:00:00'), cst('2027-01-01T10:00:00')).unofficialYears).toEqual([2027]);
  });

  it('does not count a year it only touches at midnight', () => {
    expect(cal.businessMsBetween(cst('2026-12-31T10:00:00'), cst('2027-01-01T00:00:00'))).toEqual({ ms: 8 * HOUR, unofficialYears: [] });
  });

  it('inverts addBusinessHours', () => {
    const start = cst('2026-02-12T15:20:00');
    for (const hours of [0.5, 1, 3, 9, 17.25, 40]) {
      const { at } = cal.addBusinessHours(start, hours);
      expect(cal.businessMsBetween(start, at).ms, `${hours} h`).toBe(hours * HOUR);
    }
  });
});
