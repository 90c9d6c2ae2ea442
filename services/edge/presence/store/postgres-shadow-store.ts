import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.ts';
import type { Shadow, ShadowStore } from '../domain/shadow.ts';
import { loadShadows } from './sqlite-shadow-store.ts';

/**
 * Shadows on PostgreSQL: each flush is one upsert of column arrays (`unnest`), whatever the
 * number of boxes, instead of a statement per box. A row is only overwritten by a state seen
 * as late or later, so a node whose flush arrives after another's cannot roll a box's presence back.
 */
export function createPostgresShadowStore(db: Db): ShadowStore {
  return {
    loadAll: () => loadShadows(db),
    async saveMany(shadows) {
      // Read now: the shadows may change while the statement is under way.
      const column = <T>(pick: (s: Shadow) => T) => shadows.map(pick);
      await sql`
        insert into shadows (device_id, online, last_seen, connected_at, disconnected_at, address,
          reported_fw, reported_model, metrics, metrics_ts, metrics_received_at, rejected)
        select * from unnest(${column((s) => s.deviceId)}::int4[], ${column((s) => (s.online ? 1 : 0))}::int4[],
          ${column((s) => s.lastSeen)}::int8[], ${column((s) => s.connectedAt)}::int8[], ${column((s) => s.disconnectedAt)}::int8[],
          ${column((s) => s.address)}::text[], ${column((s) => s.reportedFw)}::text[], ${column((s) => s.reportedModel)}::text[],
          ${column((s) => JSON.stringify(s.metrics))}::text[], ${column((s) => s.metricsTs)}::int8[],
          ${column((s) => s.metricsReceivedAt)}::int8[], ${column((s) => JSON.stringify(s.rejected))}::text[])
        on conflict (device_id) do update set online = excluded.online, last_seen = excluded.last_seen,
          connected_at = excluded.connected_at, disconnected_at = excluded.disconnected_at,
          address = excluded.address, reported_fw = excluded.reported_fw,
          reported_model = excluded.reported_model, metrics = excluded.metrics,
          metrics_ts = excluded.metrics_ts, metrics_received_at = excluded.metrics_received_at,
          rejected = excluded.rejected
        where shadows.last_seen is null or excluded.last_seen >= shadows.last_seen`.execute(db);
      return true;
    },
  };
}
