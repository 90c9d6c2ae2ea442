import type { Kysely, Selectable } from 'kysely';
import { type Database, lockForWrite, type RemoteSessionParticipantTable } from '../../../platform/db/index.ts';
import { Participant, participantKeyOf, type SessionIdentity } from '../domain/participant.ts';

type Tx = Kysely<Database>;

function toParticipant(r: Selectable<RemoteSessionParticipantTable>): Participant {
  return Participant.parse({
    id: r.id,
    kind: r.kind,
    username: r.username,
    role: r.role,
    label: r.label,
    joinedAt: Number(r.joined_at),
    leftAt: r.left_at === null ? null : Number(r.left_at),
  });
}

/**
 * Marks the identity as in the room: its row is created on the first join and reopened on
 * later ones. Answers the participant and whether it was absent before (a join to record).
 */
export async function enterRoom(
  tx: Tx,
  sessionId: number,
  identity: SessionIdentity,
  now: number,
  nodeId: string | null = null,
): Promise<{ participant: Participant; entered: boolean }> {
  // The same identity joining through two nodes: the second waits and reads the first's row.
  await lockForWrite(tx, tx.selectFrom('remote_sessions').select('id').where('id', '=', sessionId));
  let q = tx.selectFrom('remote_session_participants').selectAll().where('session_id', '=', sessionId);
  q = identity.kind === 'account' ? q.where('user_id', '=', identity.userId) : q.where('link_id', '=', identity.linkId);
  const row = await q.executeTakeFirst();
  if (row) {
    if (row.left_at === null) return { participant: toParticipant(row), entered: false };
    await tx.updateTable('remote_session_participants').set({ left_at: null, node_id: nodeId }).where('id', '=', row.id).execute();
    return { participant: toParticipant({ ...row, left_at: null }), entered: true };
  }
  const values =
    identity.kind === 'account'
      ? { kind: 'user', user_id: identity.userId, username: identity.username, role: identity.role, link_id: null, label: null }
      : { kind: 'customer', user_id: null, username: null, role: null, link_id: identity.linkId, label: identity.label };
  const r = await tx
    .insertInto('remote_session_participants')
    .values({ session_id: sessionId, ...values, joined_at: now, left_at: null, node_id: nodeId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = r.id;
  return {
    participant: Participant.parse({
      id,
      kind: values.kind,
      username: values.username,
      role: values.role,
      label: values.label,
      joinedAt: now,
      leftAt: null,
    }),
    entered: true,
  };
}

export async function leaveRoom(tx: Tx, participantId: number, now: number): Promise<void> {
  await tx.updateTable('remote_session_participants').set({ left_at: now }).where('id', '=', participantId).where('left_at', 'is', null).execute();
}

export async function listParticipants(db: Tx, sessionId: number): Promise<Participant[]> {
  const rows = await db.selectFrom('remote_session_participants').selectAll().where('session_id', '=', sessionId).orderBy('id').execute();
  return rows.map(toParticipant);
}

/**
 * Participants recorded as in a room, with their `participantKey`; after a restart this node
 * holds none of their connections. `of`: only those who entered through a given node (in a
 * cluster, one that is gone; null: no node).
 */
export async function participantsInRooms(
  db: Tx,
  of?: { nodeId: string | null },
): Promise<Array<{ sessionId: number; participant: Participant; key: string }>> {
  let q = db.selectFrom('remote_session_participants').selectAll().where('left_at', 'is', null);
  if (of) q = q.where('node_id', of.nodeId === null ? 'is' : '=', of.nodeId);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    sessionId: r.session_id,
    participant: toParticipant(r),
    key: participantKeyOf(r.user_id !== null ? { userId: r.user_id } : { linkId: r.link_id! }),
  }));
}

/** Whether the account ever joined the session's room (it may have stepped out since). */
export async function isAccountParticipant(db: Tx, sessionId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('remote_session_participants')
    .select('id')
    .where('session_id', '=', sessionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The nodes through which participants are in rooms (null: entered without a cluster). */
export async function roomOwners(db: Tx): Promise<Array<string | null>> {
  const rows = await db.selectFrom('remote_session_participants').select('node_id').distinct().where('left_at', 'is', null).execute();
  return rows.map((r) => r.node_id);
}

/** Records `to` as the node holding the participant's connection, if `from` still did. */
export async function takeOverParticipant(db: Tx, participantId: number, from: string | null, to: string | null): Promise<void> {
  await db
    .updateTable('remote_session_participants')
    .set({ node_id: to })
    .where('id', '=', participantId)
    .where('left_at', 'is', null)
    .where('node_id', from === null ? 'is' : '=', from)
    .execute();
}
