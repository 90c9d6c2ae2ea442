import { beforeEach, describe, expect, it } from 'vitest';
import { databaseEachTest } from '../../../../test/helpers/database-each-test.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/index.ts';
import { insertTestDevice } from '../../../../test/helpers/test-database.ts';
import { endSession, openSession } from '../domain/remote-session.ts';
import type { NewTimelineEntry } from '../domain/timeline-entry.ts';
import { insertSession, loadSession, lockBoxForSessions, openSessionOf, saveSession } from './remote-session-store.ts';
import { appendEntries, listEntries } from './timeline-store.ts';

/*
 * The timeline's seqs on the database itself: on PostgreSQL (the postgres project) the
 * transactions below really run at once, as they would on several nodes; on SQLite they queue.
 */

const NOW = Date.parse('2025-06-16T02:00:00Z');
const ENGINEER = { username: 'eng', role: 'engineer' as const };

const scratch = databaseEachTest();
let deviceId: number;

beforeEach(async () => {
  deviceId = await insertTestDevice(scratch.db, 'MTBTL0001', NOW);
});

async function newSession(): Promise<number> {
  const { session } = openSession({ serial: 'MTBTL0001', caseId: null, queue: 'general', inSupportHours: true }, ENGINEER, NOW);
  return insertSession(scratch.db, deviceId, session);
}

/**
 * Holds `n` transactions until all have begun, so none runs ahead of the others, as on nodes
 * writing at once (fewer than the pool's 10 connections). SQLite's transactions queue on its
 * one connection: none waits there.
 */
function together(n: number): () => Promise<void> {
  if (scratch.opened.dialect === 'sqlite') return async () => {};
  let arrived = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === n) release();
    return released;
  };
}

/** Kysely sends BEGIN with the transaction's first statement. */
async function beginNow(tx: Kysely<Database>): Promise<void> {
  await tx.selectFrom('devices').select('id').execute();
}

const note = (text: string): NewTimelineEntry => ({ at: NOW, author: { kind: 'user', ...ENGINEER }, kind: 'note', data: { text } });

describe('timeline seqs', () => {
  it('stay gap-free and unique when many transactions append to one session at once', async () => {
    const id = await newSession();
    const all = together(8);
    const writers = Array.from({ length: 8 }, (_, w) =>
      scratch.db.transaction().execute(async (tx) => {
        await beginNow(tx);
        await all();
        return appendEntries(tx, id, [note(`${w}-a`), note(`${w}-b`)]);
      }),
    );
    const appended = (await Promise.all(writers)).flat();
    const seqs = appended.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const stored = await listEntries(scratch.db, id);
    expect(stored.map((e) => e.seq)).toEqual(seqs);
    // Each transaction's two entries are consecutive: its seqs were taken in one step.
    for (let w = 0; w < 8; w++) {
      const [a, b] = stored.filter((e) => (e.data as { text: string }).text.startsWith(`${w}-`));
      expect(b!.seq).toBe(a!.seq + 1);
    }
  });

  it('are refused a change by the database: the timeline is append-only', async () => {
    const id = await newSession();
    await scratch.db.transaction().execute((tx) => appendEntries(tx, id, [note('kept')]));
    await expect(scratch.db.updateTable('remote_session_timeline').set({ kind: 'system' }).execute()).rejects.toThrow(
      'remote_session_timeline is append-only',
    );
    await expect(scratch.db.deleteFrom('remote_session_timeline').execute()).rejects.toThrow('remote_session_timeline is append-only');
  });
});

describe('opening a session', () => {
  it('lets only one of several transactions checking the box at once open a session on it', async () => {
    const { session } = openSession({ serial: 'MTBTL0001', caseId: null, queue: 'general', inSupportHours: true }, ENGINEER, NOW);
    const all = together(6);
    const attempts = Array.from({ length: 6 }, () =>
      scratch.db.transaction().execute(async (tx) => {
        await beginNow(tx);
        await all();
        await lockBoxForSessions(tx, deviceId);
        if (await openSessionOf(tx, 'MTBTL0001')) return null;
        return insertSession(tx, deviceId, session);
      }),
    );
    const ids = (await Promise.all(attempts)).filter((id) => id !== null);
    expect(ids).toHaveLength(1);
    const rows = await scratch.db.selectFrom('remote_sessions').select('id').execute();
    expect(rows.map((r) => r.id)).toEqual(ids);
  });
});

describe('saving a session', () => {
  it('writes nothing when the session has left the state it was read in (another node moved it)', async () => {
    const id = await newSession();
    const read = (await loadSession(scratch.db, id))!;
    const ended = endSession(read, { outcome: 'resolved-remotely', reason: 'fixed' }, ENGINEER, NOW + 1);
    const abandoned = endSession(read, { outcome: 'abandoned', reason: 'gone' }, ENGINEER, NOW + 2);
    if (!ended.ok || !abandoned.ok) throw new Error('ending an active session was refused');
    expect(await saveSession(scratch.db, ended.session, read.state)).toBe(true);
    expect(await saveSession(scratch.db, abandoned.session, read.state)).toBe(false);
    expect(await loadSession(scratch.db, id)).toMatchObject({ state: 'ended', outcome: 'resolved-remotely', endedAt: NOW + 1 });
  });
});
