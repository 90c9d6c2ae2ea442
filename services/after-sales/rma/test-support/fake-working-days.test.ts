import { describe, expect, it } from 'vitest';
import { chinaTime, fakeWorkingDays, NATIONAL_DAY_2025 } from './fake-working-days.ts';

// The domain tests lean on this stand-in; these pin the behaviour they assume.
describe('the test calendar', () => {
  const cal = fakeWorkingDays(NATIONAL_DAY_2025);

  it('skips weekends and holidays and works make-up days', () => {
    expect(cal.addWorkingDays('2025-09-26', 1).date).toBe('2025-09-28');
    expect(cal.addWorkingDays('2025-09-30', 1).date).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-09-30', 0).date).toBe('2025-09-30');
    expect(cal.workingDaysBetween('2025-09-25', '2025-10-09').days).toBe(5);
    expect(cal.workingDaysBetween('2025-09-25', '2025-09-25').days).toBe(0);
  });

  it('uses China local dates and ends a day at local midnight', () => {
    expect(cal.localDate(chinaTime('2025-09-30', 23, 59))).toBe('2025-09-30');
    expect(cal.localDate(chinaTime('2025-10-01', 0))).toBe('2025-10-01');
    expect(cal.endOfLocalDay('2025-09-30')).toBe(Date.UTC(2025, 8, 30, 16));
  });

  it('adds business hours inside 9:00–18:00', () => {
    expect(cal.addBusinessHours(chinaTime('2025-09-29', 7), 4).at).toBe(chinaTime('2025-09-29', 13));
    expect(cal.addBusinessHours(chinaTime('2025-09-29', 19), 4).at).toBe(chinaTime('2025-09-30', 13));
    expect(cal.addBusinessHours(chinaTime('2025-09-30', 16), 4).at).toBe(chinaTime('2025-10-09', 11));
  });

  it('reports years it has no official data for', () => {
    expect(cal.addWorkingDays('2025-12-30', 3)).toEqual({ date: '2026-01-02', unofficialYears: [2026] });
  });
});
