import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../../../platform/db/index.ts';
import type { Shadow, ShadowStore } from '../domain/shadow.ts';

const num = (v: number | bigint | null): number | null => (v === null ? null : Number(v));

/** Every stored shadow, on either database. */
export async function loadShadows(db: Db): Promise<Shadow[]> {
  const rows = await db.selectFrom('shadows').selectAll().execute();
  return rows.map((r) => ({
    deviceId: r.device_id,
    online: r.online === 1,
    lastSeen: num(r.last_seen),
    connectedAt: num(r.connected_at),
    disconnectedAt: num(r.disconnected_at),
    address: r.address,
    reportedFw: r.reported_fw,
    reportedModel: r.reported_model,
    metrics: JSON.parse(r.metrics) as Record<string, number>,
    metricsTs: num(r.metrics_ts),
    metricsReceivedAt: num(r.metrics_received_at),
    rejected: JSON.parse(r.rejected) as Shadow['rejected'],
  }));
}

/** SQLite writes shadows synchronously, on the raw handle. */
export interface SqliteShadowStore extends ShadowStore {
  saveMany(shadows: readonly Shadow[]): boolean;
}

export function createSqliteShadowStore(db: Db, sqlite: BetterSqlite3.Database): SqliteShadowStore {
  // A prepared upsert with positional parameters: the shadow flush rewrites every box that
  // spoke since the last one (10,000 rows every 2 s with 10,000 boxes at 1 msg/s), and a
  // spread object per row plus name lookups in the binding showed in that profile.
  const upsert = sqlite.prepare(`
    INSERT INTO shadows (device_id, online, last_seen, connected_at, disconnected_at, address,
      reported_fw, reported_model, metrics, metrics_ts, metrics_received_at, rejected)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (device_id) DO UPDATE SET online = excluded.online, last_seen = excluded.last_seen,
      connected_at = excluded.connected_at, disconnected_at = excluded.disconnected_at,
      address = excluded.address, reported_fw = excluded.reported_fw,
      reported_model = excluded.reported_model, metrics = excluded.metrics,
      metrics_ts = excluded.metrics_ts, metrics_received_at = excluded.metrics_received_at,
      rejected = excluded.rejected`);
  const saveAll = sqlite.transaction((shadows: readonly Shadow[]) => {
    for (const s of shadows) {
      upsert.run(
        s.deviceId,
        s.online ? 1 : 0,
        s.lastSeen,
        s.connectedAt,
        s.disconnectedAt,
        s.address,
        s.reportedFw,
        s.reportedModel,
        JSON.stringify(s.metrics),
        s.metricsTs,
        s.metricsReceivedAt,
        JSON.stringify(s.rejected),
      );
    }
  });

  return {
    loadAll: () => loadShadows(db),
    saveMany(shadows) {
      // Kysely's transactions span awaits on this same connection: written now, the rows would
      // join one as a savepoint and go if it rolled back. The next flush writes them instead.
      if (sqlite.inTransaction) return false;
      saveAll(shadows);
      return true;
    },
  };
}
