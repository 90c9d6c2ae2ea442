import type { Clock } from '../../../kernel/clock.ts';
import { type Db, locksRows } from '../../../platform/db/index.ts';
import { CalendarOverride } from '../domain/calendar-data.ts';
import { parseCalendarJson } from './calendar-json.ts';
import type { CalendarOverrideStore } from './calendar-override-store.ts';

const ROW = 1;
const WHERE = 'the database (table calendar_override)';

/**
 * The admin's years in the database, for nodes that share it: each write locks the one row
 * and changes the latest stored state, so two admins adding different years on two nodes
 * both keep theirs.
 */
export function calendarTableStore(db: Db, clock: Clock): CalendarOverrideStore {
  const parse = (text: string) => parseCalendarJson(text, CalendarOverride, WHERE);
  return {
    where: WHERE,
    async read() {
      const row = await db.selectFrom('calendar_override').select('data').where('id', '=', ROW).executeTakeFirst();
      return row ? parse(row.data) : {};
    },
    putYear(year, data, by, check) {
      return db.transaction().execute(async (tx) => {
        // The row exists before it is locked: the first write of two must not insert it twice.
        await tx
          .insertInto('calendar_override')
          .values({ id: ROW, data: '{}', updated_at: clock(), updated_by: null })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        const row = await tx
          .selectFrom('calendar_override')
          .select('data')
          .where('id', '=', ROW)
          .$if(locksRows(tx), (q) => q.forUpdate())
          .executeTakeFirstOrThrow();
        const current = parse(row.data);
        const next = CalendarOverride.parse({ ...current, years: { ...current.years, [String(year)]: data } });
        check(next);
        await tx
          .updateTable('calendar_override')
          .set({ data: JSON.stringify(next), updated_at: clock(), updated_by: by })
          .where('id', '=', ROW)
          .execute();
        return next;
      });
    },
  };
}

/**
 * Puts a single node's calendar file into the database when the database has no calendar yet
 * (a move from SQLite to PostgreSQL); answers whether it did. Later, the file is not read.
 */
export async function importCalendarOverride(db: Db, override: CalendarOverride, clock: Clock): Promise<boolean> {
  const inserted = await db
    .insertInto('calendar_override')
    .values({ id: ROW, data: JSON.stringify(override), updated_at: clock(), updated_by: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
