import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../kernel/clock.ts';
import { sha256Hex } from '../../kernel/digest.ts';
import { APP_VERSION } from '../app-version.ts';
import { BOX_SECRET_KEY_FILE } from '../security/index.ts';
import { listBackups, type BackupEntry } from './backup-catalog.ts';
import type { Config } from '../config.ts';
import { backupDirOf, CALENDAR_FILE, calendarFileOf, DATABASE_FILE, MANIFEST_FILE, PRIVATE_DIR, PRIVATE_FILE } from './backup-files.ts';
import type { BackupManifest } from './domain/backup-manifest.ts';
import { backupName } from './domain/backup-name.ts';
import { backupsToPrune } from './domain/backup-schedule.ts';
import { inspectDatabaseFile, runCopyJob } from './sqlite-copy.ts';

export interface TakeBackupOptions {
  dataDir: string;
  backupDir: string;
  /** BACKUP_KEEP: backups kept after this one, counting it. */
  keep: number;
  /** The holiday-year file the server writes (calendarFileOf); copied when it exists. */
  calendarFile: string;
  /** BOX_SECRET_KEY is set, so there is no key file to copy (the manifest says so). */
  boxSecretKeyConfigured: boolean;
  trigger: BackupManifest['trigger'];
  clock: Clock;
  /** Stops the copy thread (the server is stopping); the partial copy is removed. */
  signal?: AbortSignal;
  /** Runs on the copy before it is checked; the tests damage it here to see a failed check handled. */
  beforeCheck?: (databaseFile: string) => void;
}

/** What and where to back up, as configured: the same for the schedule and the admin CLI. */
export function backupTargetOf(
  config: Config,
): Pick<TakeBackupOptions, 'dataDir' | 'backupDir' | 'keep' | 'boxSecretKeyConfigured' | 'calendarFile'> {
  return {
    dataDir: path.resolve(config.DATA_DIR),
    backupDir: backupDirOf(config),
    keep: config.BACKUP_KEEP,
    boxSecretKeyConfigured: config.BOX_SECRET_KEY !== undefined,
    calendarFile: calendarFileOf(config),
  };
}

export type BackupOutcome = { ok: true; backup: BackupEntry; pruned: string[] } | { ok: false; name: string; reason: string };

const sha256 = (file: string) => sha256Hex(readFileSync(file));

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: PRIVATE_FILE });
  chmodSync(file, PRIVATE_FILE);
}

/** Copies the box secret key beside the database (without it no box could log in after a restore). */
function copyKey(dataDir: string, partial: string, configured: boolean): BackupManifest['boxSecretKey'] {
  if (configured) return { source: 'configured' };
  const key = path.join(dataDir, BOX_SECRET_KEY_FILE);
  if (!existsSync(key)) return { source: 'none' };
  const copy = path.join(partial, BOX_SECRET_KEY_FILE);
  copyFileSync(key, copy);
  chmodSync(copy, PRIVATE_FILE);
  return { source: 'file', sha256: sha256(copy) };
}

/** Copies the admin's holiday years (working-day deadlines depend on them). */
function copyCalendar(calendarFile: string, partial: string): BackupManifest['calendar'] {
  if (!existsSync(calendarFile)) return null;
  const copy = path.join(partial, CALENDAR_FILE);
  copyFileSync(calendarFile, copy);
  chmodSync(copy, PRIVATE_FILE);
  return { sha256: sha256(copy) };
}

/**
 * Takes one backup of the data directory's database while the server runs: a snapshot on the
 * copy thread, checked with integrity_check, the box secret key and the admin's holiday years
 * beside it, then the manifest.
 * It is written under a temporary name and renamed when complete, so a half-written backup is
 * never listed. A copy that fails its check is deleted and reported, never kept. After a good
 * one, the oldest backups beyond `keep` are deleted.
 */
export async function takeBackup(opts: TakeBackupOptions): Promise<BackupOutcome> {
  const takenAt = opts.clock();
  mkdirSync(opts.backupDir, { recursive: true, mode: PRIVATE_DIR });
  const existing = listBackups(opts.backupDir);
  const name = backupName(takenAt, new Set(existing.map((b) => b.name)));
  const partial = path.join(opts.backupDir, `.partial-${name}`);
  const final = path.join(opts.backupDir, name);
  try {
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { mode: PRIVATE_DIR });
    chmodSync(partial, PRIVATE_DIR);
    const dbCopy = path.join(partial, DATABASE_FILE);
    const copied = await runCopyJob({ kind: 'snapshot', source: path.join(opts.dataDir, DATABASE_FILE), target: dbCopy }, opts.signal);
    if (!copied.ok) return { ok: false, name, reason: `the copy failed: ${copied.error}` };
    chmodSync(dbCopy, PRIVATE_FILE);
    opts.beforeCheck?.(dbCopy);
    const inspection = await inspectDatabaseFile(dbCopy, opts.signal);
    if ('error' in inspection) return { ok: false, name, reason: `the copy could not be checked: ${inspection.error}` };
    if (inspection.integrity !== 'ok') return { ok: false, name, reason: `the copy failed integrity_check: ${inspection.integrity}` };
    const manifest: BackupManifest = {
      format: 1,
      name,
      takenAt: new Date(takenAt).toISOString(),
      trigger: opts.trigger,
      appVersion: APP_VERSION,
      database: { file: DATABASE_FILE, ...inspection },
      boxSecretKey: copyKey(opts.dataDir, partial, opts.boxSecretKeyConfigured),
      calendar: copyCalendar(opts.calendarFile, partial),
    };
    // Last: a directory with a manifest is a complete backup.
    writePrivate(path.join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(partial, final);
    const pruned = backupsToPrune(
      listBackups(opts.backupDir).map((b) => b.name),
      opts.keep,
      name,
    );
    for (const old of pruned) rmSync(path.join(opts.backupDir, old), { recursive: true, force: true });
    return { ok: true, backup: { name, dir: final, takenAt, manifest }, pruned };
  } catch (err) {
    return { ok: false, name, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    // Whatever did not become a backup goes: a failed check, an abort, an error.
    rmSync(partial, { recursive: true, force: true });
  }
}
