import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { BOX_SECRET_KEY_FILE } from '../security/index.ts';
import { checkDatabaseFile, DatabaseRefusedError, knownMigrations } from '../db/index.ts';
import { CALENDAR_FILE, DATABASE_FILE, PRIVATE_DIR, PRIVATE_FILE } from './backup-files.ts';
import type { BackupManifest } from './domain/backup-manifest.ts';
import { verifyBackup } from './verify-backup.ts';

export type RestoreOutcome =
  | { ok: true; manifest: BackupManifest; movedAside: string[] }
  | { ok: false; reason: 'damaged' | 'newer'; problems: string[] };

/** Null when this version may open the backup's database; otherwise why not (a newer version wrote it). Reads only. */
function schemaRefusal(file: string): string | null {
  try {
    checkDatabaseFile(file, knownMigrations);
    return null;
  } catch (err) {
    if (err instanceof DatabaseRefusedError) return err.message;
    throw err;
  }
}

/** `20261130T095000Z`: the suffix of what a restore moves aside. */
const stamp = (at: number) =>
  new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** Renames `dir/base+suffix` to `dir/base.before-restore-<time>+suffix` when it exists; answers the new name. */
function moveAside(dir: string, base: string, suffix: string, at: number): string | null {
  const from = path.join(dir, `${base}${suffix}`);
  if (!existsSync(from)) return null;
  const to = path.join(dir, `${base}.before-restore-${stamp(at)}${suffix}`);
  renameSync(from, to);
  return to;
}

/** Copies into place under a temporary name, then renames: the live name only ever holds a whole file. */
function putInPlace(from: string, to: string): void {
  const tmp = `${to}.restoring`;
  copyFileSync(from, tmp);
  chmodSync(tmp, PRIVATE_FILE);
  renameSync(tmp, to);
}

/**
 * Puts a backup in place of the data directory's database, for a stopped server (the caller
 * checks the lock). The backup is verified first, and one written by a newer version refused;
 * either refusal changes nothing. The current database (with its -wal and -shm, which a killed
 * server leaves holding committed data), box secret key and holiday years are moved aside, not
 * deleted.
 */
export async function restoreBackup(backupDir: string, target: { dataDir: string; calendarFile: string }, now: number): Promise<RestoreOutcome> {
  const { dataDir, calendarFile } = target;
  const verified = await verifyBackup(backupDir);
  if (!verified.ok) return { ok: false, reason: 'damaged', problems: verified.problems };
  const { manifest } = verified;
  const backupDb = path.join(backupDir, manifest.database.file);
  const newer = schemaRefusal(backupDb);
  if (newer) return { ok: false, reason: 'newer', problems: [newer] };

  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
  const movedAside: string[] = [];
  // The -wal and -shm keep their suffix after the new name, so SQLite opens them with it.
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const moved = moveAside(dataDir, DATABASE_FILE, suffix, now);
    if (moved) movedAside.push(moved);
  }
  putInPlace(backupDb, path.join(dataDir, DATABASE_FILE));
  if (manifest.boxSecretKey.source === 'file') {
    const moved = moveAside(dataDir, BOX_SECRET_KEY_FILE, '', now);
    if (moved) movedAside.push(moved);
    putInPlace(path.join(backupDir, BOX_SECRET_KEY_FILE), path.join(dataDir, BOX_SECRET_KEY_FILE));
  }
  // Holiday years added after the backup go aside too: the restored state is the backup's.
  const calendarAside = moveAside(path.dirname(calendarFile), path.basename(calendarFile), '', now);
  if (calendarAside) movedAside.push(calendarAside);
  if (manifest.calendar) putInPlace(path.join(backupDir, CALENDAR_FILE), calendarFile);
  return { ok: true, manifest, movedAside };
}
