import type { Kysely, Migration } from 'kysely';
import { appendOnly, idColumn } from './migration-dialect.ts';

/**
 * Remote-guidance sessions: the session, who joined it, its append-only timeline and the
 * one-time customer links. Timeline entries keep their author and data as JSON next to the
 * columns reads filter on; `seq` numbers them per session, so a reconnecting client asks
 * for what came after the last one it holds.
 */
export const remoteSessionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('remote_sessions')
      .addColumn('id', 'integer', idColumn(db))
      .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
      .addColumn('serial', 'text', (c) => c.notNull())
      .addColumn('case_id', 'integer', (c) => c.references('remote_cases.id'))
      .addColumn('queue', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('outcome_reason', 'text')
      .addColumn('requested_at', 'bigint', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('started_by', 'text')
      .addColumn('ended_at', 'bigint')
      .addColumn('ended_by', 'text')
      .addColumn('ticket_id', 'integer', (c) => c.references('rma_tickets.id'))
      .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('remote_sessions_serial_state').on('remote_sessions').columns(['serial', 'state']).execute();
    // Queue positions are counted over the queued sessions of one support queue.
    await db.schema.createIndex('remote_sessions_state_queue').on('remote_sessions').columns(['state', 'queue', 'requested_at']).execute();

    await db.schema
      .createTable('remote_session_links')
      .addColumn('id', 'integer', idColumn(db))
      .addColumn('session_id', 'integer', (c) => c.notNull().references('remote_sessions.id'))
      // sha256 of the token: the token itself is shown once, to the engineer who created it.
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('label', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('redeemed_at', 'bigint')
      .addColumn('holder_hash', 'text')
      .execute();

    await db.schema
      .createTable('remote_session_participants')
      .addColumn('id', 'integer', idColumn(db))
      .addColumn('session_id', 'integer', (c) => c.notNull().references('remote_sessions.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('users.id'))
      .addColumn('username', 'text')
      .addColumn('role', 'text')
      .addColumn('link_id', 'integer', (c) => c.references('remote_session_links.id'))
      .addColumn('label', 'text')
      .addColumn('joined_at', 'bigint', (c) => c.notNull())
      .addColumn('left_at', 'bigint')
      // One row per account and per link (NULLs never collide in a unique index).
      .addUniqueConstraint('remote_session_participants_user', ['session_id', 'user_id'])
      .addUniqueConstraint('remote_session_participants_link', ['session_id', 'link_id'])
      .execute();

    await db.schema
      .createTable('remote_session_timeline')
      .addColumn('session_id', 'integer', (c) => c.notNull().references('remote_sessions.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('remote_session_timeline_pk', ['session_id', 'seq'])
      .execute();
    // Append-only is enforced by the database: a reconnecting client relies on seq n never changing.
    await appendOnly(db, 'remote_session_timeline', 'remote_session_timeline is append-only');
  },
};
