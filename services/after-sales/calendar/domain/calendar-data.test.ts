import { describe, expect, it } from 'vitest';
import { CalendarData, CalendarOverride, mergeCalendars } from './calendar-data.ts';

const base: CalendarData = {
  region: 'CN',
  utcOffsetMinutes: 480,
  supportHours: { start: '09:00', end: '18:00' },
  years: { '2026': { source: 'notice', holidays: ['2026-10-01'], workdays: ['2026-10-10'] } },
};

function issues(data: unknown) {
  const r = CalendarData.safeParse(data);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

const withYear = (year: string, entry: object) => ({ ...base, years: { [year]: { source: 'notice', holidays: [], workdays: [], ...entry } } });

describe('calendar data validation', () => {
  it('accepts a well-formed calendar', () => {
    expect(issues(base)).toEqual([]);
  });

  it('refuses a date filed under another year', () => {
    expect(issues(withYear('2026', { holidays: ['2027-01-01'] }))).toEqual([
      { path: ['years', '2026', 'holidays', 0], message: '2027-01-01 is listed under year 2026' },
    ]);
  });

  it('refuses a date that is both a holiday and a workday', () => {
    expect(issues(withYear('2026', { holidays: ['2026-10-01'], workdays: ['2026-10-01'] }))[0]).toEqual({
      path: ['years', '2026', 'workdays', 0],
      message: '2026-10-01 is listed both as a holiday and as a workday',
    });
  });

  it('refuses a weekend holiday and a weekday make-up day, which would change nothing', () => {
    expect(issues(withYear('2026', { holidays: ['2026-10-03'] }))[0]?.message).toBe('2026-10-03 is a weekend day; holidays lists only weekdays off');
    expect(issues(withYear('2026', { workdays: ['2026-10-09'] }))[0]?.message).toBe(
      '2026-10-09 is a weekday; workdays lists only weekend days worked',
    );
  });

  it('refuses duplicates, impossible dates and bad year keys', () => {
    expect(issues(withYear('2026', { holidays: ['2026-10-01', '2026-10-01'] }))[0]?.message).toBe('2026-10-01 is listed twice as a holiday');
    expect(issues(withYear('2026', { holidays: ['2026-02-30'] }))[0]?.path).toEqual(['years', '2026', 'holidays', 0]);
    expect(issues(withYear('26', {}))[0]?.path).toEqual(['years', '26']);
  });

  it('refuses support hours that end before they start, and a missing source', () => {
    expect(issues({ ...base, supportHours: { start: '18:00', end: '09:00' } })[0]?.path).toEqual(['supportHours', 'end']);
    expect(issues({ ...base, supportHours: { start: '9:00', end: '18:00' } })[0]?.path).toEqual(['supportHours', 'start']);
    expect(issues(withYear('2026', { source: ' ' }))[0]?.path).toEqual(['years', '2026', 'source']);
  });

  it('refuses unknown keys, so a misspelt field in an admin file is not ignored', () => {
    expect(issues({ ...base, year: {} })[0]?.path).toEqual([]);
    expect(CalendarOverride.safeParse({ yaers: {} }).success).toBe(false);
  });
});

describe('merging an override over the shipped calendar', () => {
  it('adds new years and replaces whole existing years', () => {
    const merged = mergeCalendars(base, {
      years: {
        '2026': { source: 'corrected notice', holidays: [], workdays: [] },
        '2027': { source: 'next notice', holidays: ['2027-01-01'], workdays: [] },
      },
    });
    expect(merged.years['2026']).toEqual({ source: 'corrected notice', holidays: [], workdays: [] });
    expect(merged.years['2027']?.holidays).toEqual(['2027-01-01']);
    expect(merged.region).toBe('CN');
  });

  it('keeps shipped years and settings the override does not mention', () => {
    const merged = mergeCalendars(base, { supportHours: { start: '08:30', end: '17:30' } });
    expect(merged.years).toEqual(base.years);
    expect(merged.supportHours).toEqual({ start: '08:30', end: '17:30' });
  });
});
