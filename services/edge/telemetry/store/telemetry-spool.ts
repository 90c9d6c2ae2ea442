import { chmodSync, closeSync, openSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { telemetryLine } from '../domain/influx-line-protocol.ts';
import { FIELDS_PER_ROW } from './batch-hand-over.ts';

/** The oldest points waiting, as line protocol, and the id to delete through once they are taken. */
export interface SpoolBatch {
  lastId: number;
  lines: string[];
}

export interface SpoolStats {
  points: number;
  /** Disk the spool's rows use (pages in use × page size), what TELEMETRY_SPOOL_MB bounds. */
  bytes: number;
  /** When the oldest waiting point was received, or null when none waits. */
  oldestReceivedAt: number | null;
  /** Points InfluxDB refused as invalid, kept in the `set_aside` table. */
  setAside: number;
}

export interface TelemetrySpool {
  /** Appends a hand-over batch (rows of serial, ts, receivedAt, seq, metrics JSON) in one transaction. */
  append(flat: readonly unknown[]): void;
  /** Up to `max` of the oldest points, in arrival order. */
  oldest(max: number): SpoolBatch | null;
  /** Deletes every point up to and including `lastId`: InfluxDB has acknowledged them. */
  remove(lastId: number): void;
  /** Moves the points up to `lastId` into `set_aside` with the server's reason. */
  setAside(lastId: number, at: number, reason: string): void;
  /** The disk its rows use: pages in use × page size. */
  bytes(): number;
  stats(): SpoolStats;
  close(): void;
}

/**
 * The local spool between the broker and InfluxDB: a SQLite file of its own (not the main
 * database, so spooling never contends with triage for the write lock), one row per point in
 * arrival order. Rows leave only once InfluxDB acknowledged them, so a restart resumes from here.
 */
export function openTelemetrySpool(file: string): TelemetrySpool {
  // Private like the main database, whatever the umask; SQLite gives -wal and -shm the same mode.
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new BetterSqlite3(file);
  // Set before the first table exists: lets a drained spool hand its pages back to the disk.
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS spool (id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, line TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS set_aside (id INTEGER PRIMARY KEY, set_aside_at INTEGER NOT NULL, reason TEXT NOT NULL, received_at INTEGER NOT NULL, line TEXT NOT NULL);
  `);
  const insert = db.prepare('INSERT INTO spool (received_at, line) VALUES (?, ?)');
  const appendAll = db.transaction((flat: readonly unknown[]) => {
    for (let i = 0; i < flat.length; i += FIELDS_PER_ROW) {
      const metrics = JSON.parse(flat[i + 4] as string) as Record<string, number>;
      const receivedAt = flat[i + 2] as number;
      insert.run(receivedAt, telemetryLine(flat[i] as string, flat[i + 1] as number, receivedAt, flat[i + 3] as number, metrics));
    }
  });
  const oldest = db.prepare<[number], { id: number; line: string }>('SELECT id, line FROM spool ORDER BY id LIMIT ?');
  const remove = db.prepare('DELETE FROM spool WHERE id <= ?');
  const copyAside = db.prepare(
    'INSERT INTO set_aside (set_aside_at, reason, received_at, line) SELECT ?, ?, received_at, line FROM spool WHERE id <= ? ORDER BY id',
  );
  const setAside = db.transaction((lastId: number, at: number, reason: string) => {
    copyAside.run(at, reason, lastId);
    remove.run(lastId);
  });
  // Rows leave from the front only, so the ids still waiting are the run min…max. Two subqueries:
  // SQLite answers a lone min() or max() from the index, but both in one SELECT scan the table,
  // which made every append slower the longer the spool grew (BENCHMARKS.md).
  const span = db.prepare<[], { first: number | null; last: number | null }>(
    'SELECT (SELECT min(id) FROM spool) AS first, (SELECT max(id) FROM spool) AS last',
  );
  const firstReceived = db.prepare<[], { received_at: number }>('SELECT received_at FROM spool ORDER BY id LIMIT 1');
  const setAsideCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM set_aside');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  let setAsideTotal = setAsideCount.get()!.n;
  const bytes = () => ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * pageSize;

  return {
    append: (flat) => appendAll(flat),
    oldest(max) {
      const rows = oldest.all(max);
      if (rows.length === 0) return null;
      return { lastId: rows[rows.length - 1]!.id, lines: rows.map((r) => r.line) };
    },
    remove(lastId) {
      remove.run(lastId);
      // Emptied after a backlog: give the file's free pages back (a no-op when there are none).
      if (span.get()!.first === null) db.pragma('incremental_vacuum');
    },
    setAside(lastId, at, reason) {
      setAside(lastId, at, reason);
      setAsideTotal = setAsideCount.get()!.n;
    },
    bytes,
    stats() {
      const { first, last } = span.get()!;
      return {
        points: first === null || last === null ? 0 : last - first + 1,
        bytes: bytes(),
        oldestReceivedAt: firstReceived.get()?.received_at ?? null,
        setAside: setAsideTotal,
      };
    },
    close: () => db.close(),
  };
}
