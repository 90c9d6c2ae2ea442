import { type Selectable, sql } from 'kysely';
import { appendAudit } from '../../../platform/audit/index.ts';
import type { Db, TunnelTable } from '../../../platform/db/index.ts';
import { TunnelView } from '../domain/tunnel-view.ts';

/** What the durable record of a tunnel needs at opening. */
export interface OpenedTunnelRow {
  id: string;
  sessionId: number;
  deviceId: number;
  serial: string;
  host: string;
  port: number;
  openedBy: string;
  openedAt: number;
  /** The node relaying it (null on a single node). */
  nodeId: string | null;
}

export interface ClosedTunnelRow {
  id: string;
  deviceId: number;
  sessionId: number;
  host: string;
  port: number;
  closedAt: number;
  reason: string;
  /** Who closed it (DELETE), or `system`. */
  actor: string;
  durationMs: number;
  bytesUp: number;
  bytesDown: number;
}

function toView(r: Selectable<TunnelTable>): TunnelView {
  return TunnelView.parse({
    id: r.id,
    state: r.state,
    host: r.host,
    port: r.port,
    openedBy: r.opened_by,
    openedAt: Number(r.opened_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
    closeReason: r.close_reason,
    bytesUp: Number(r.bytes_up),
    bytesDown: Number(r.bytes_down),
  });
}

/** The tunnel's row and its audit line (on the box) commit together. */
export async function insertOpenedTunnel(db: Db, t: OpenedTunnelRow): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('tunnels')
      .values({
        id: t.id,
        session_id: t.sessionId,
        device_id: t.deviceId,
        host: t.host,
        port: t.port,
        state: 'open',
        opened_by: t.openedBy,
        opened_at: t.openedAt,
        closed_at: null,
        close_reason: null,
        node_id: t.nodeId,
      })
      .execute();
    await appendAudit(tx, {
      entityKind: 'device',
      entityId: t.deviceId,
      at: t.openedAt,
      actor: t.openedBy,
      action: 'tunnel-opened',
      from: null,
      to: 'open',
      reason: `tunnel to ${t.host}:${t.port}`,
      data: { tunnelId: t.id, sessionId: t.sessionId, host: t.host, port: t.port },
    });
  });
}

export async function recordClosedTunnel(db: Db, t: ClosedTunnelRow): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('tunnels')
      .set({ state: 'closed', closed_at: t.closedAt, close_reason: t.reason, bytes_up: t.bytesUp, bytes_down: t.bytesDown })
      .where('id', '=', t.id)
      .execute();
    await appendAudit(tx, {
      entityKind: 'device',
      entityId: t.deviceId,
      at: t.closedAt,
      actor: t.actor,
      action: 'tunnel-closed',
      from: 'open',
      to: 'closed',
      reason: t.reason,
      data: {
        tunnelId: t.id,
        sessionId: t.sessionId,
        host: t.host,
        port: t.port,
        durationMs: t.durationMs,
        bytesUp: t.bytesUp,
        bytesDown: t.bytesDown,
      },
    });
  });
}

/** A session's tunnels, newest first. */
export async function listSessionTunnels(db: Db, sessionId: number): Promise<TunnelView[]> {
  const rows = await db.selectFrom('tunnels').selectAll().where('session_id', '=', sessionId).orderBy('opened_at', 'desc').orderBy('id').execute();
  return rows.map(toView);
}

/** The nodes relaying open tunnels (null: tunnels opened without a cluster). */
export async function openTunnelOwners(db: Db): Promise<Array<string | null>> {
  // The literal (not a parameter) lets the planner use the partial index tunnels_live_owner.
  const rows = await db.selectFrom('tunnels').select('node_id').distinct().where('state', '!=', sql.lit('closed')).execute();
  return rows.map((r) => r.node_id);
}

/**
 * Rows left `open` by a backend that stopped without closing them (a crash): no tunnel
 * survives a restart, so they are closed with `reason` at `now`, audit lines included.
 * `of`: only those a given node relayed (in a cluster, a node that is gone; null: no node).
 */
export async function closeLeftOpen(db: Db, reason: string, now: number, of?: { nodeId: string | null }): Promise<ClosedTunnelRow[]> {
  let q = db.selectFrom('tunnels').selectAll().where('state', '!=', 'closed');
  if (of) q = q.where('node_id', of.nodeId === null ? 'is' : '=', of.nodeId);
  const rows = await q.execute();
  const closed = rows.map((r) => ({
    id: r.id,
    deviceId: r.device_id,
    sessionId: r.session_id,
    host: r.host,
    port: r.port,
    closedAt: now,
    reason,
    actor: 'system',
    // Bytes and the real end are unknown: the backend stopped before it could write them.
    durationMs: Math.max(0, now - Number(r.opened_at)),
    bytesUp: Number(r.bytes_up),
    bytesDown: Number(r.bytes_down),
  }));
  for (const c of closed) await recordClosedTunnel(db, c);
  return closed;
}
