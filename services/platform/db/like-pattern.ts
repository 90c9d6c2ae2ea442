import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** The escape character every LIKE pattern built here declares. */
export const LIKE_ESCAPE = '\\';

/** `text` as a LIKE pattern matching itself literally: `%`, `_` and the escape are escaped. */
export function literalLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);
}

/**
 * `column LIKE '%text%' ESCAPE '\'`: the column contains `text` as typed, so a filter of `%`
 * finds names holding a percent sign rather than every name. Case-insensitive for ASCII
 * letters, as SQLite's LIKE is.
 */
export function containsText(column: string, text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${`%${literalLikePattern(text)}%`} escape ${LIKE_ESCAPE}`;
}
