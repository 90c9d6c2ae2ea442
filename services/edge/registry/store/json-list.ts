import { type RawBuilder, sql } from 'kysely';
import { type Db, dialectOf } from '../../../platform/db/index.ts';

/*
 * A list of values as a subquery over one JSON parameter, for `where column in (…)`: one bound
 * parameter whatever the list's length (SQLite allows 32,766 per statement, PostgreSQL 65,535),
 * and one statement text for the statement cache.
 */

/** The texts of `values` as a one-column subquery. */
export function jsonTexts(db: Db, values: readonly string[]): RawBuilder<string> {
  const json = JSON.stringify(values);
  return dialectOf(db) === 'postgres'
    ? sql<string>`(select jsonb_array_elements_text(${json}::jsonb))`
    : sql<string>`(select value from json_each(${json}))`;
}

/** The integers of `values` as a one-column subquery. */
export function jsonIntegers(db: Db, values: readonly number[]): RawBuilder<number> {
  const json = JSON.stringify(values);
  // PostgreSQL unpacks JSON as text; compared with an integer column it must be cast back.
  return dialectOf(db) === 'postgres'
    ? sql<number>`(select jsonb_array_elements_text(${json}::jsonb)::bigint)`
    : sql<number>`(select value from json_each(${json}))`;
}
