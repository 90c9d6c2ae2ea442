/** The public face of this capability: what other capabilities and the composition root use. */
export * from './database.ts';
export * from './like-pattern.ts';
export * from './schema.ts';
export { checkDatabaseFile, DatabaseRefusedError } from './schema-check.ts';
export { knownMigrations } from './migrations.ts';
export { acquireDataDirLock, DataDirInUseError, lockHolder, DATA_DIR_LOCK_FILE, type LockHolder } from './data-dir-lock.ts';
export { openPostgres, type OpenedPostgres, type PostgresOptions } from './postgres.ts';
export { openDatabase } from './open-database.ts';
export { dialectOf, type SqlDialect } from './migration-dialect.ts';
export { lockForWrite, locksRows } from './row-locks.ts';
