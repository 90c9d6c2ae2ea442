import { type Kysely, type Selectable, sql } from 'kysely';
import type { CommandTable, Database } from '../../../platform/db/index.ts';
import type { CommandOutcome } from '../domain/command-port.ts';

type Tx = Kysely<Database>;

/** A command as requested, before its outcome is known. */
export interface CommandRecord {
  id: string;
  name: string;
  args: Record<string, unknown>;
  requestedBy: string;
  sessionId: number | null;
  requestedAt: number;
  timeoutMs: number;
  deadline: number;
}

/** The request as stored; `deadline` as stored, before any delivery shortens it. */
export function recordFromRow(
  row: Pick<Selectable<CommandTable>, 'id' | 'name' | 'args' | 'requested_by' | 'session_id' | 'requested_at' | 'timeout_ms' | 'deadline'>,
): CommandRecord {
  return {
    id: row.id,
    name: row.name,
    args: JSON.parse(row.args) as Record<string, unknown>,
    requestedBy: row.requested_by,
    sessionId: row.session_id,
    requestedAt: Number(row.requested_at),
    timeoutMs: row.timeout_ms,
    deadline: Number(row.deadline),
  };
}

/** `nodeId`: the node whose caller waits for a sent command (null on a single node). */
export async function insertCommand(
  db: Tx,
  deviceId: number,
  r: CommandRecord,
  status: 'queued' | 'sent' | 'offline',
  nodeId: string | null = null,
): Promise<void> {
  await db
    .insertInto('commands')
    .values({
      id: r.id,
      device_id: deviceId,
      name: r.name,
      args: JSON.stringify(r.args),
      requested_by: r.requestedBy,
      session_id: r.sessionId,
      requested_at: r.requestedAt,
      timeout_ms: r.timeoutMs,
      deadline: r.deadline,
      status,
      sent_at: null,
      completed_at: null,
      result: null,
      error: null,
      node_id: status === 'sent' ? nodeId : null,
    })
    .execute();
}

export async function markSent(db: Tx, id: string, at: number): Promise<void> {
  await db.updateTable('commands').set({ status: 'sent', sent_at: at }).where('id', '=', id).execute();
}

/**
 * Takes a queued command for delivery; answers false when it is no longer queued (expired, or
 * taken by another delivery: on PostgreSQL, by another node's sweep or the box's new connection).
 */
export async function claimQueued(db: Tx, id: string, at: number, nodeId: string | null): Promise<boolean> {
  const r = await db
    .updateTable('commands')
    .set({ status: 'sent', sent_at: at, node_id: nodeId })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Stores the outcome unless the command already has one; answers whether this call stored it.
 * The condition is the claim: of two finishes racing (an answer and a sweep, or two nodes'
 * sweeps), PostgreSQL re-checks it after the first commits, so exactly one updates the row.
 */
export async function finishCommand(db: Tx, id: string, outcome: CommandOutcome, at: number): Promise<boolean> {
  const r = await db
    .updateTable('commands')
    .set({
      status: outcome.status,
      completed_at: at,
      result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      error: outcome.error === undefined ? null : JSON.stringify(outcome.error),
    })
    .where('id', '=', id)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Commands queued for a box, oldest first: the order they were asked for is the order they are delivered. */
export async function queuedCommandsOf(db: Tx, deviceId: number) {
  return db.selectFrom('commands').selectAll().where('device_id', '=', deviceId).where('status', '=', 'queued').orderBy('requested_at').execute();
}

/** Queued commands whose deadline has passed. */
export async function expiredQueuedCommands(db: Tx, now: number) {
  return db
    .selectFrom('commands')
    .select(['id', 'device_id', 'name', 'args', 'requested_by', 'session_id', 'requested_at', 'timeout_ms', 'deadline'])
    .where('status', '=', 'queued')
    .where('deadline', '<=', now)
    .execute();
}

/** Closes every command still marked sent as timed out with this error; answers how many. */
export async function closeSentCommands(db: Tx, now: number, error: { code: string; message: string }): Promise<number> {
  const r = await db
    .updateTable('commands')
    .set({ status: 'timed-out', completed_at: now, error: JSON.stringify(error) })
    .where('status', '=', 'sent')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The nodes whose callers wait for sent commands (null: commands sent without a cluster). */
export async function sentCommandOwners(db: Tx): Promise<Array<string | null>> {
  // The literal (not a parameter) lets the planner use the partial index commands_sent.
  const rows = await db.selectFrom('commands').select('node_id').distinct().where('status', '=', sql.lit('sent')).execute();
  return rows.map((r) => r.node_id);
}

/** Sent commands whose caller waits on `nodeId` (null: on no recorded node). */
export async function sentCommandsOf(db: Tx, nodeId: string | null) {
  return db
    .selectFrom('commands')
    .select(['id', 'device_id', 'name', 'args', 'requested_by', 'session_id', 'requested_at', 'timeout_ms', 'deadline'])
    .where('status', '=', 'sent')
    .where('node_id', nodeId === null ? 'is' : '=', nodeId)
    .execute();
}

/** A command as the API lists it. */
export interface CommandView {
  id: string;
  serial: string;
  name: string;
  args: Record<string, unknown>;
  requestedBy: string;
  sessionId: number | null;
  requestedAt: number;
  deadline: number;
  status: string;
  sentAt: number | null;
  completedAt: number | null;
  result?: unknown;
  error?: unknown;
}

/**
 * A box's commands newest first by request time, then id, or the one with `id`; `before`
 * continues a page after that (requestedAt, id).
 */
export async function listCommands(
  db: Tx,
  filter: { serial: string; id?: string; before?: readonly [requestedAt: number, id: string]; limit: number; withResult: boolean },
): Promise<CommandView[]> {
  let q = db
    .selectFrom('commands as c')
    .innerJoin('devices as d', 'd.id', 'c.device_id')
    .selectAll('c')
    .select('d.serial')
    .where('d.serial', '=', filter.serial);
  if (filter.id) q = q.where('c.id', '=', filter.id);
  if (filter.before) {
    const [at, id] = filter.before;
    q = q.where((eb) => eb(eb.refTuple('c.requested_at', 'c.id'), '<', eb.tuple(at, id)));
  }
  const rows = await q.orderBy('c.requested_at', 'desc').orderBy('c.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    serial: r.serial,
    name: r.name,
    args: JSON.parse(r.args) as Record<string, unknown>,
    requestedBy: r.requested_by,
    sessionId: r.session_id,
    requestedAt: Number(r.requested_at),
    deadline: Number(r.deadline),
    status: r.status,
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
    completedAt: r.completed_at === null ? null : Number(r.completed_at),
    ...(filter.withResult && r.result !== null ? { result: JSON.parse(r.result) as unknown } : {}),
    ...(r.error !== null ? { error: JSON.parse(r.error) as unknown } : {}),
  }));
}
