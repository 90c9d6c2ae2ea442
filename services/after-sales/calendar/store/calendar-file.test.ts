import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../domain/working-calendar.ts';
import { loadCalendarFile, loadCalendarOverride, mergeCalendars, SHIPPED_CALENDAR_PATH } from './calendar-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'mtbox-calendar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const year2027 = { source: 'State Council General Office notice for 2027', holidays: ['2027-01-01'], workdays: [] };

describe('the shipped China calendar file', () => {
  it('loads and holds the official years 2025 and 2026 with their sources', () => {
    const data = loadCalendarFile(SHIPPED_CALENDAR_PATH);
    expect(data.region).toBe('CN');
    expect(data.utcOffsetMinutes).toBe(480);
    expect(data.supportHours).toEqual({ start: '09:00', end: '18:00' });
    expect(Object.keys(data.years)).toEqual(['2025', '2026']);
    for (const year of Object.values(data.years)) expect(year.source).toMatch(/State Council General Office.*chinese-days/);
  });
});

describe('an admin override file', () => {
  it('adds next year so its holidays count without a release', () => {
    const override = loadCalendarOverride(file('add-2027.json', { years: { '2027': year2027 } }));
    const cal = createWorkingCalendar(mergeCalendars(loadCalendarFile(SHIPPED_CALENDAR_PATH), override));
    expect(cal.officialYears()).toEqual([2025, 2026, 2027]);
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.addWorkingDays('2026-12-30', 2)).toEqual({ date: '2027-01-04', unofficialYears: [] });
    // Shipped years survive the merge.
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
  });

  it('is refused by the full-calendar loader, which needs region and hours', () => {
    const path = file('years-only.json', { years: { '2027': year2027 } });
    expect(() => loadCalendarFile(path)).toThrow(/region/);
  });
});

describe('file errors name the file and the field', () => {
  it('names the bad date and where it sits', () => {
    const path = file('bad-date.json', { years: { '2027': { ...year2027, holidays: ['2027-02-30'] } } });
    expect(() => loadCalendarOverride(path)).toThrow(`calendar file ${path}: years.2027.holidays[0]: not a calendar date`);
  });

  it('names a date filed under the wrong year', () => {
    const path = file('wrong-year.json', { years: { '2027': { ...year2027, workdays: ['2026-10-10'] } } });
    expect(() => loadCalendarOverride(path)).toThrow(`calendar file ${path}: years.2027.workdays[0]: 2026-10-10 is listed under year 2027`);
  });

  it('says when the file is not JSON', () => {
    const path = file('broken.json', '{ "years": ');
    expect(() => loadCalendarOverride(path)).toThrow(`calendar file ${path}: not valid JSON`);
  });

  it('says when the file cannot be read', () => {
    const path = join(dir, 'missing.json');
    expect(() => loadCalendarFile(path)).toThrow(`calendar file ${path}: cannot read it`);
  });
});
