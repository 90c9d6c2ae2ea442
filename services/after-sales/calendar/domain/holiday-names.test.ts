import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../../kernel/locale.ts';
import { CalendarData } from './calendar-data.ts';
import { HOLIDAY_KINDS, HOLIDAY_NAMES, holidayKindsOf, holidayName, workdayName } from './holiday-names.ts';

const shipped = CalendarData.parse(JSON.parse(readFileSync(new URL('../data/cn-calendar.json', import.meta.url), 'utf8')));
const year = (y: number) => {
  const data = shipped.years[String(y)];
  if (!data) throw new Error(`no shipped year ${y}`);
  return holidayKindsOf(data);
};

describe("China's public holidays by name", () => {
  it('names every 2025 holiday by its festival, National Day and Mid-Autumn together', () => {
    const { holidays, workdays } = year(2025);
    expect(holidays['2025-01-01']).toEqual(['new-year']);
    expect(holidays['2025-01-28']).toEqual(['spring-festival']);
    expect(holidays['2025-02-04']).toEqual(['spring-festival']);
    expect(holidays['2025-04-04']).toEqual(['qingming']);
    expect(holidays['2025-05-05']).toEqual(['labour-day']);
    expect(holidays['2025-06-02']).toEqual(['dragon-boat']);
    expect(holidays['2025-10-08']).toEqual(['national-day', 'mid-autumn']);
    expect(workdays['2025-01-26']).toEqual(['spring-festival']);
    expect(workdays['2025-09-28']).toEqual(['national-day', 'mid-autumn']);
  });

  it('names 2026 with Mid-Autumn on its own', () => {
    const { holidays } = year(2026);
    expect(holidays['2026-02-23']).toEqual(['spring-festival']);
    expect(holidays['2026-04-06']).toEqual(['qingming']);
    expect(holidays['2026-06-19']).toEqual(['dragon-boat']);
    expect(holidays['2026-09-25']).toEqual(['mid-autumn']);
    expect(holidays['2026-10-07']).toEqual(['national-day']);
  });

  it('finds a festival for every shipped holiday', () => {
    for (const data of Object.values(shipped.years)) {
      const { holidays, workdays } = holidayKindsOf(data);
      for (const kinds of [...Object.values(holidays), ...Object.values(workdays)]) expect(kinds).not.toContain('public-holiday');
    }
  });

  it('calls a day off no festival explains a public holiday', () => {
    expect(holidayKindsOf({ holidays: ['2025-07-16'], workdays: [] }).holidays['2025-07-16']).toEqual(['public-holiday']);
  });

  it('says every name in both languages', () => {
    for (const kind of HOLIDAY_KINDS) {
      for (const locale of LOCALES) expect(HOLIDAY_NAMES[kind][locale].trim()).not.toBe('');
      expect(HOLIDAY_NAMES[kind]['zh-CN']).toMatch(/^\p{Script=Han}+$/u);
      expect(HOLIDAY_NAMES[kind].en).not.toMatch(/\p{Script=Han}/u);
    }
    expect(holidayName(['national-day', 'mid-autumn'], 'zh-CN')).toBe('国庆节、中秋节');
    expect(holidayName(['national-day', 'mid-autumn'], 'en')).toBe('National Day and Mid-Autumn Festival');
    expect(workdayName(['spring-festival'], 'zh-CN')).toBe('春节调休上班');
    expect(workdayName(['spring-festival'], 'en')).toBe('Working day (make-up for Spring Festival)');
  });
});
