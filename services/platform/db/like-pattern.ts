import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { SqlDialect } from './migration-dialect.ts';

/** The escape character every LIKE pattern built here declares. */
export const LIKE_ESCAPE = '\\';

/** `text` as a LIKE pattern matching itself literally: `%`, `_` and the escape are escaped. */
export function literalLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);
}

/**
 * `column LIKE '%text%' ESCAPE '\'`: the column contains `text` as typed, so a filter of `%`
 * finds names holding a percent sign rather than every name. Case-insensitive for ASCII
 * letters, as SQLite's LIKE is; PostgreSQL's LIKE is case-sensitive, so there it is ILIKE.
 */
export function containsText(column: string, text: string, dialect: SqlDialect = 'sqlite'): RawBuilder<SqlBool> {
  const operator = dialect === 'postgres' ? sql`ilike` : sql`like`;
  return sql<SqlBool>`${sql.ref(column)} ${operator} ${`%${literalLikePattern(text)}%`} escape ${LIKE_ESCAPE}`;
}
