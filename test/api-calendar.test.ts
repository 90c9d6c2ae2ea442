import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCalendarService, openCalendarStore } from '../services/after-sales/calendar/index.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { TEST_DIALECT } from './helpers/test-database.ts';

/*
 * Next year's official holidays, added by an admin when the State Council publishes them: kept
 * in the calendar file on a single node (SQLite), in the database on PostgreSQL where every
 * node counts deadlines with the same years. The fixture's clock is in 2025.
 */

const YEAR_2027 = {
  source: 'State Council General Office notice for 2027',
  holidays: ['2027-01-01', '2027-02-08'],
  workdays: ['2027-02-20'],
};

const year = (source: string, holidays: string[] = [], workdays: string[] = []) => ({ source, holidays, workdays });

interface YearView {
  year: number;
  origin: 'shipped' | 'override';
  source: string;
  holidays: string[];
  holidayNames: Record<string, string>;
}
interface Refusal {
  error: string;
  details: { message: string };
}
interface CalendarView {
  years: YearView[];
  missingYears: number[];
  overrideFile: string;
}

let api: ApiFixture;
let admin: Record<string, string>;
beforeAll(async () => {
  api = await startApiFixture();
  admin = await api.headersFor('admin');
});
afterAll(() => api.close());

const logger = pino({ level: 'silent' });

/** The calendar as a node opening the same store now would see it (another node, or this one restarted). */
async function freshlyOpened() {
  const store = await openCalendarStore(api.config, api.db, { logger, clock: api.now });
  return openCalendarService({ store, logger, clock: api.now });
}

async function putYear(y: number, body: unknown, headers = admin) {
  return api.request('PUT', `/api/calendar/years/${y}`, { headers, json: body });
}

async function calendar(): Promise<CalendarView> {
  const res = await api.request('GET', '/api/calendar', { headers: await api.headersFor('after-sales') });
  expect(res.status).toBe(200);
  return (await res.json()) as CalendarView;
}

describe('an admin adding a year of official holidays', () => {
  it('applies it at once: the calendar lists it as the admin’s, and working days skip its holidays', async () => {
    const res = await putYear(2027, YEAR_2027);
    expect(res.status).toBe(200);
    const added = ((await res.json()) as CalendarView).years.find((y) => y.year === 2027);
    expect(added).toMatchObject({ origin: 'override', source: YEAR_2027.source, holidays: YEAR_2027.holidays });
    expect((await calendar()).years.map((y) => [y.year, y.origin])).toEqual([
      [2025, 'shipped'],
      [2026, 'shipped'],
      [2027, 'override'],
    ]);
    const counted = api.afterSales.deps.calendar.current();
    expect(counted.isWorkingDay('2027-01-01')).toBe(false);
    expect(counted.isWorkingDay('2027-02-20')).toBe(true);
    expect(counted.addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-04', unofficialYears: [] });
  });

  it('keeps it where the next start (or another node) reads it', async () => {
    const reopened = await freshlyOpened();
    expect(reopened.years().find((y) => y.year === 2027)).toMatchObject({ origin: 'override', holidays: YEAR_2027.holidays });
    expect(reopened.where).toBe((await calendar()).overrideFile);
  });

  it('refuses a year that contradicts itself, naming the date, and keeps the years it has', async () => {
    // 2028-01-01 is a Saturday: holidays list only weekdays off.
    const res = await putYear(2028, year('a notice with a slip', ['2028-01-01']));
    expect(res.status).toBe(400);
    const body = (await res.json()) as Refusal;
    expect(body.error).toBe('CALENDAR_INVALID');
    expect(body.details.message).toContain('2028-01-01 is a weekend day');
    const years = (await calendar()).years.map((y) => y.year);
    expect(years).toEqual([2025, 2026, 2027]);
    expect((await freshlyOpened()).years().map((y) => y.year)).toEqual([2025, 2026, 2027]);
  });

  it('refuses a year without its source with a clear error', async () => {
    const res = await putYear(2028, { holidays: [], workdays: [] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('source');
  });

  it('is for admins only', async () => {
    const res = await putYear(2028, year('after-sales is not allowed'), await api.headersFor('after-sales'));
    expect(res.status).toBe(403);
    expect((await calendar()).years.map((y) => y.year)).not.toContain(2028);
  });

  it('counts with a year stored through another node once it reads the calendar again', async () => {
    await (await freshlyOpened()).putYear(2028, year('notice for 2028', ['2028-01-03']), 'admin-on-another-node');
    // On a cluster, the other node's message says when; the store itself is shown here.
    const reloaded = await api.request('POST', '/api/calendar/reload', { headers: admin });
    expect(reloaded.status).toBe(200);
    expect(((await reloaded.json()) as CalendarView).years.map((y) => y.year)).toEqual([2025, 2026, 2027, 2028]);
    expect(api.afterSales.deps.calendar.current().isWorkingDay('2028-01-03')).toBe(false);
  });
});

if (TEST_DIALECT === 'sqlite') {
  describe('the calendar file of a single node', () => {
    const file = () => path.join(api.config.DATA_DIR, 'calendar.json');

    it('is where the years are written, readable by hand', async () => {
      expect((await calendar()).overrideFile).toBe(file());
      const written = JSON.parse(readFileSync(file(), 'utf8')) as { years: Record<string, unknown> };
      expect(written.years['2027']).toEqual(YEAR_2027);
    });

    it('is read again on reload after an admin edited it by hand; a broken edit is refused and the calendar stays', async () => {
      const edited = JSON.parse(readFileSync(file(), 'utf8')) as { years: Record<string, unknown> };
      edited.years['2030'] = year('typed in by hand');
      writeFileSync(file(), JSON.stringify(edited));
      const res = await api.request('POST', '/api/calendar/reload', { headers: admin });
      expect(res.status).toBe(200);
      expect(((await res.json()) as CalendarView).years.map((y) => y.year)).toContain(2030);

      writeFileSync(file(), '{"years": {"2031": ');
      const broken = await api.request('POST', '/api/calendar/reload', { headers: admin });
      expect(broken.status).toBe(400);
      const refusal = (await broken.json()) as Refusal;
      expect(refusal.error).toBe('CALENDAR_INVALID');
      expect(refusal.details.message).toContain(`calendar file ${file()}: not valid JSON`);
      expect((await calendar()).years.map((y) => y.year)).toContain(2030);
    });
  });
}

if (TEST_DIALECT === 'postgres') {
  describe('the calendar in the database (PostgreSQL)', () => {
    it('is where the years are written, not a file of one node', async () => {
      expect((await calendar()).overrideFile).toBe('the database (table calendar_override)');
      expect(existsSync(path.join(api.config.DATA_DIR, 'calendar.json'))).toBe(false);
    });

    it('takes a calendar file found at start only while the database has no calendar, and says the file is not read after', async () => {
      const other = await startApiFixture();
      try {
        const file = path.join(other.config.DATA_DIR, 'calendar.json');
        writeFileSync(file, JSON.stringify({ years: { 2027: year('moved from a single node', ['2027-01-01']) } }));
        const first = await openCalendarStore(other.config, other.db, { logger, clock: other.now });
        expect((await first.read()).years?.['2027']?.source).toBe('moved from a single node');

        writeFileSync(file, JSON.stringify({ years: { 2027: year('edited after the move') } }));
        const again = await openCalendarStore(other.config, other.db, { logger, clock: other.now });
        expect((await again.read()).years?.['2027']?.source).toBe('moved from a single node');
      } finally {
        await other.close();
      }
    });
  });
}
