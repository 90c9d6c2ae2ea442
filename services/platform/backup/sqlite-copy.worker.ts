// The backup's SQLite work, on a thread of its own: VACUUM INTO, integrity_check and the
// sha256 of a large file each take seconds of CPU and disk, which on the broker's thread would
// stall every box's messages. One job per thread; the answer is posted back, then it exits.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { CopyJob, CopyJobResult, FileInspection } from './sqlite-copy.ts';

function sha256Of(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * VACUUM INTO reads the whole database in one read transaction: under WAL a consistent snapshot
 * that writers do not wait for. (The online backup API restarts whenever another connection
 * writes, which with telemetry arriving every few milliseconds may never finish.)
 */
function snapshot(source: string, target: string): void {
  const db = new BetterSqlite3(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  // The copy keeps the source's WAL flag; a backup is one self-contained file (no -wal to lose),
  // and the server switches it back to WAL when it opens it after a restore.
  const copy = new BetterSqlite3(target, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

function inspect(file: string): FileInspection {
  let integrity: string;
  let lastMigration: string | null = null;
  try {
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
      integrity = rows.join('; ');
      const hasMigrations = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").pluck().get();
      if (hasMigrations) lastMigration = (db.prepare('select max(name) from kysely_migration').pluck().get() as string | null) ?? null;
    } finally {
      db.close();
    }
  } catch (err) {
    // A page so damaged SQLite refuses to read it is a failed check like any other.
    integrity = err instanceof Error ? err.message : String(err);
  }
  return { integrity, lastMigration, sizeBytes: statSync(file).size, sha256: sha256Of(file) };
}

function run(job: CopyJob): CopyJobResult {
  try {
    if (job.kind === 'snapshot') {
      snapshot(job.source, job.target);
      return { ok: true, inspection: null };
    }
    return { ok: true, inspection: inspect(job.file) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.postMessage(run((workerData as { job: CopyJob }).job));
