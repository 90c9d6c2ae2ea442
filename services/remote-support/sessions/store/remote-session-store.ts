import type { Kysely, Selectable } from 'kysely';
import { type Database, lockForWrite, type RemoteSessionTable } from '../../../platform/db/index.ts';
import { RemoteSession, type NewRemoteSession, type SessionState } from '../domain/remote-session.ts';
import type { QueuedRequest } from '../domain/session-queue.ts';

type Tx = Kysely<Database>;

export function toSession(r: Selectable<RemoteSessionTable>): RemoteSession {
  return RemoteSession.parse({
    id: r.id,
    serial: r.serial,
    caseId: r.case_id,
    queue: r.queue,
    state: r.state,
    outcome: r.outcome,
    outcomeReason: r.outcome_reason,
    requestedAt: Number(r.requested_at),
    requestedBy: r.requested_by,
    startedAt: r.started_at === null ? null : Number(r.started_at),
    startedBy: r.started_by,
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
    endedBy: r.ended_by,
    ticketId: r.ticket_id,
    lastSeq: r.last_seq,
  });
}

export async function insertSession(db: Tx, deviceId: number, s: NewRemoteSession): Promise<number> {
  const r = await db
    .insertInto('remote_sessions')
    .values({
      device_id: deviceId,
      serial: s.serial,
      case_id: s.caseId,
      queue: s.queue,
      state: s.state,
      outcome: s.outcome,
      outcome_reason: s.outcomeReason,
      requested_at: s.requestedAt,
      requested_by: s.requestedBy,
      started_at: s.startedAt,
      started_by: s.startedBy,
      ended_at: s.endedAt,
      ended_by: s.endedBy,
      ticket_id: s.ticketId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/**
 * Writes the lifecycle columns if the session is still in state `from`; false when it is not
 * (another node moved it since it was read). last_seq belongs to the timeline store.
 */
export async function saveSession(db: Tx, s: RemoteSession, from: SessionState): Promise<boolean> {
  const r = await db
    .updateTable('remote_sessions')
    .set({
      state: s.state,
      outcome: s.outcome,
      outcome_reason: s.outcomeReason,
      started_at: s.startedAt,
      started_by: s.startedBy,
      ended_at: s.endedAt,
      ended_by: s.endedBy,
      ticket_id: s.ticketId,
    })
    .where('id', '=', s.id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function loadSession(db: Tx, id: number): Promise<RemoteSession | null> {
  const r = await db.selectFrom('remote_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toSession(r) : null;
}

/** Newest first; `beforeId` continues a page. */
export async function listSessions(
  db: Tx,
  filter: { serial?: string; state?: SessionState; beforeId?: number; limit: number },
): Promise<RemoteSession[]> {
  let q = db.selectFrom('remote_sessions').selectAll();
  if (filter.serial) q = q.where('serial', '=', filter.serial);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toSession);
}

/**
 * Holds the box's row until the transaction ends, so a check for its open session and the
 * insert that follows cannot interleave with another node's.
 */
export async function lockBoxForSessions(tx: Tx, deviceId: number): Promise<void> {
  await lockForWrite(tx, tx.selectFrom('devices').select('id').where('id', '=', deviceId));
}

/** The box's queued or active session, if it has one. */
export async function openSessionOf(db: Tx, serial: string): Promise<RemoteSession | null> {
  const r = await db
    .selectFrom('remote_sessions')
    .selectAll()
    .where('serial', '=', serial)
    .where('state', '!=', 'ended')
    .orderBy('id')
    .executeTakeFirst();
  return r ? toSession(r) : null;
}

export async function openSessions(db: Tx): Promise<Array<{ id: number; serial: string }>> {
  return db.selectFrom('remote_sessions').select(['id', 'serial']).where('state', '!=', 'ended').execute();
}

export async function queuedRequests(db: Tx): Promise<QueuedRequest[]> {
  const rows = await db.selectFrom('remote_sessions').select(['id', 'queue', 'requested_at']).where('state', '=', 'queued').execute();
  return rows.map((r) => ({ id: r.id, queue: r.queue as QueuedRequest['queue'], requestedAt: Number(r.requested_at) }));
}
