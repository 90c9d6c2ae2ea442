import { describe, expect, it } from 'vitest';
import { databaseEachTest } from '../../../../test/helpers/database-each-test.ts';
import { whileHeld } from '../../../../test/helpers/held-rows.ts';
import type { CalendarOverride } from '../domain/calendar-data.ts';
import { calendarTableStore, importCalendarOverride } from './calendar-table.ts';

/*
 * The admin's holiday years in the database, as the nodes of a cluster share them. On
 * PostgreSQL (the postgres project) a transaction holding the row makes two admins' writes on
 * two nodes meet at the same point; SQLite runs one write transaction at a time.
 */

const NOW = Date.parse('2026-12-01T02:00:00Z');
const clock = () => NOW;
const year = (source: string, holidays: string[] = []) => ({ source, holidays, workdays: [] });
const accept = (_next: CalendarOverride) => {};

const scratch = databaseEachTest();

describe('the calendar table', () => {
  it('reads as nothing added before any year is stored, then as the years stored, with who stored them', async () => {
    const store = calendarTableStore(scratch.db, clock);
    expect(await store.read()).toEqual({});
    await store.putYear(2027, year('notice for 2027', ['2027-01-01']), 'ada', accept);
    expect(await calendarTableStore(scratch.db, clock).read()).toEqual({ years: { 2027: year('notice for 2027', ['2027-01-01']) } });
    expect(await scratch.db.selectFrom('calendar_override').select(['updated_by', 'updated_at']).execute()).toEqual([
      { updated_by: 'ada', updated_at: NOW },
    ]);
  });

  it('keeps both years when two nodes store one each at the same moment', async () => {
    const [a, b] = [calendarTableStore(scratch.db, clock), calendarTableStore(scratch.db, clock)];
    await a.putYear(2027, year('notice for 2027'), 'ada', accept);
    await whileHeld(
      scratch.opened,
      (tx) => tx.selectFrom('calendar_override').selectAll().forUpdate().execute(),
      2,
      () => [a.putYear(2028, year('notice for 2028'), 'ada', accept), b.putYear(2029, year('notice for 2029'), 'bob', accept)],
    );
    expect(Object.keys((await a.read()).years ?? {})).toEqual(['2027', '2028', '2029']);
  });

  it('stores nothing when the check refuses the result', async () => {
    const store = calendarTableStore(scratch.db, clock);
    await store.putYear(2027, year('notice for 2027'), 'ada', accept);
    const refuse = () => {
      throw new Error('2028-01-01 is a weekend day');
    };
    await expect(store.putYear(2028, year('a slip', ['2028-01-01']), 'ada', refuse)).rejects.toThrow('weekend day');
    expect(Object.keys((await store.read()).years ?? {})).toEqual(['2027']);
  });

  it('names the table and the bad field when what is stored there is broken', async () => {
    await scratch.db.insertInto('calendar_override').values({ id: 1, data: '{"years": {"27": {}}}', updated_at: NOW, updated_by: null }).execute();
    await expect(calendarTableStore(scratch.db, clock).read()).rejects.toThrow(/^the database \(table calendar_override\): years\.27/);
  });

  it('takes a calendar file in only while there is no calendar yet', async () => {
    expect(await importCalendarOverride(scratch.db, { years: { 2027: year('from the file') } }, clock)).toBe(true);
    expect(await importCalendarOverride(scratch.db, { years: { 2027: year('from a later file') } }, clock)).toBe(false);
    expect((await calendarTableStore(scratch.db, clock).read()).years?.['2027']?.source).toBe('from the file');
  });
});
