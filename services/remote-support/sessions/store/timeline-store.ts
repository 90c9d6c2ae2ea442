import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/index.ts';
import { TimelineEntry, type NewTimelineEntry, type TimelineKind } from '../domain/timeline-entry.ts';

type Tx = Kysely<Database>;

/**
 * Appends entries to a session's timeline with the next seqs. Run inside a transaction: the
 * counter on the session row and the rows move together, so seqs have no gaps or repeats.
 */
export async function appendEntries(tx: Tx, sessionId: number, entries: readonly NewTimelineEntry[]): Promise<TimelineEntry[]> {
  if (entries.length === 0) return [];
  const { last_seq: last } = await tx
    .updateTable('remote_sessions')
    .set((eb) => ({ last_seq: eb('last_seq', '+', entries.length) }))
    .where('id', '=', sessionId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const first = last - entries.length + 1;
  const numbered = entries.map((e, i) => TimelineEntry.parse({ ...e, sessionId, seq: first + i }));
  await tx
    .insertInto('remote_session_timeline')
    .values(
      numbered.map((e) => ({
        session_id: sessionId,
        seq: e.seq,
        at: e.at,
        kind: e.kind,
        author: JSON.stringify(e.author),
        data: JSON.stringify(e.data),
      })),
    )
    .execute();
  return numbered;
}

/** Entries after `afterSeq` (0: all), oldest first: at most `limit`, only of `kinds` when given. */
export async function listEntries(
  db: Tx,
  sessionId: number,
  afterSeq = 0,
  only: { limit?: number; kinds?: readonly TimelineKind[] } = {},
): Promise<TimelineEntry[]> {
  let q = db.selectFrom('remote_session_timeline').selectAll().where('session_id', '=', sessionId).where('seq', '>', afterSeq);
  if (only.kinds) q = q.where('kind', 'in', only.kinds);
  if (only.limit !== undefined) q = q.limit(only.limit);
  const rows = await q.orderBy('seq').execute();
  return rows.map((r) =>
    TimelineEntry.parse({
      sessionId: r.session_id,
      seq: r.seq,
      at: Number(r.at),
      kind: r.kind,
      author: JSON.parse(r.author),
      data: JSON.parse(r.data),
    }),
  );
}
