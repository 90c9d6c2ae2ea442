import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

/** What a replay moved: points per reason InfluxDB had given. */
export interface SetAsideReplay {
  points: number;
  byReason: Record<string, number>;
}

/**
 * Puts every point of the spool's `set_aside` table back at the end of its queue, in the order
 * they were set aside, so the forwarder offers them to InfluxDB again (e.g. once the bucket's
 * field types are fixed). One transaction: a point is either queued again or still set aside.
 * A file that does not exist, or has no such table, has nothing set aside.
 */
export function replaySetAside(file: string): SetAsideReplay {
  if (!existsSync(file)) return { points: 0, byReason: {} };
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'set_aside'").get();
    if (!hasTable) return { points: 0, byReason: {} };
    const reasons = db.prepare<[], { reason: string; n: number }>('SELECT reason, count(*) AS n FROM set_aside GROUP BY reason ORDER BY reason');
    const requeue = db.prepare('INSERT INTO spool (received_at, line) SELECT received_at, line FROM set_aside ORDER BY id');
    const clear = db.prepare('DELETE FROM set_aside');
    return db.transaction(() => {
      const byReason = Object.fromEntries(reasons.all().map((r) => [r.reason, r.n]));
      const points = Number(requeue.run().changes);
      clear.run();
      return { points, byReason };
    })();
  } finally {
    db.close();
  }
}
