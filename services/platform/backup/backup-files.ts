import path from 'node:path';
import { calendarOverridePath } from '../../after-sales/calendar/index.ts';
import type { Config } from '../config.ts';

/** The database keeps its data-directory name in a backup. */
export { DATABASE_FILE } from '../db/index.ts';
export const MANIFEST_FILE = 'manifest.json';
/** The holiday years an admin added (calendar-service.ts), kept in a backup under this name. */
export const CALENDAR_FILE = 'calendar.json';

/** Where the server keeps the holiday years an admin added: CALENDAR_FILE, or calendar.json in the data directory. */
export function calendarFileOf(config: Pick<Config, 'CALENDAR_FILE' | 'DATA_DIR'>): string {
  return path.resolve(calendarOverridePath(config));
}

/** BACKUP_DIR, or `backups` inside the data directory. */
export function backupDirOf(config: Pick<Config, 'BACKUP_DIR' | 'DATA_DIR'>): string {
  return path.resolve(config.BACKUP_DIR ?? path.join(config.DATA_DIR, 'backups'));
}

// A backup holds the whole database: only the service's own user may read it.
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;
