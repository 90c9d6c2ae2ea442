import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/index.ts';
import type { RemoteSession } from '../domain/remote-session.ts';
import { toSession } from './remote-session-store.ts';

type Tx = Kysely<Database>;

/**
 * The sessions a customer organisation is invited to: on one of its boxes (the JOIN on
 * devices.organisation_id) and with a customer link created while the box was theirs (the
 * link's organisation_id). Both conditions are in the query, so a session on another
 * organisation's box, one nobody invited them to, or one from before the box came to them, is
 * never read.
 */
function invitedSessions(db: Tx, organisationId: number) {
  return db
    .selectFrom('remote_sessions as s')
    .innerJoin('devices as d', 'd.id', 's.device_id')
    .where('d.organisation_id', '=', organisationId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('remote_session_links as l')
          .select('l.id')
          .whereRef('l.session_id', '=', 's.id')
          .where('l.organisation_id', '=', organisationId),
      ),
    )
    .selectAll('s');
}

/** Newest first, at most `limit`. */
export async function listInvitedSessions(db: Tx, organisationId: number, limit: number): Promise<RemoteSession[]> {
  const rows = await invitedSessions(db, organisationId).orderBy('s.id', 'desc').limit(limit).execute();
  return rows.map(toSession);
}

export async function loadInvitedSession(db: Tx, organisationId: number, id: number): Promise<RemoteSession | null> {
  const r = await invitedSessions(db, organisationId).where('s.id', '=', id).executeTakeFirst();
  return r ? toSession(r) : null;
}
