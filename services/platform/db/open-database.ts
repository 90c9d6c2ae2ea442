import { openSqlite } from './database.ts';
import type { OpenedDatabase } from './opened-database.ts';
import { openPostgres } from './postgres.ts';

/** The database the configuration names: PostgreSQL at `databaseUrl`, else SQLite in `dataDir`. */
export function openDatabase(where: {
  dataDir: string;
  databaseUrl?: string | undefined;
  onIdleError?: (err: Error) => void;
}): Promise<OpenedDatabase> {
  if (where.databaseUrl === undefined) return openSqlite(where.dataDir);
  return openPostgres(where.databaseUrl, where.onIdleError ? { onIdleError: where.onIdleError } : {});
}
