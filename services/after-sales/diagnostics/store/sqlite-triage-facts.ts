import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/index.ts';
import { CLOSED_CASE_STATES } from '../domain/remote-case.ts';
import { CLOSED_INCIDENT_STATES } from '../domain/fleet-incident.ts';
import type { OpenRef } from '../domain/triage-facts.ts';

type Tx = Kysely<Database>;

/**
 * The counts and open items triage decides from, read inside the transaction that stores
 * the decision, so two faults triaged back to back see each other's cases.
 */
export async function openCaseOf(db: Tx, deviceId: number): Promise<OpenRef> {
  const row = await db
    .selectFrom('remote_cases')
    .select('id')
    .where('device_id', '=', deviceId)
    .where('state', 'not in', CLOSED_CASE_STATES)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? { id: row.id } : null;
}

export async function openTicketOf(db: Tx, serial: string, closedStates: readonly string[]): Promise<OpenRef> {
  const row = await db
    .selectFrom('rma_tickets')
    .select('id')
    .where('serial', '=', serial)
    .where('state', 'not in', closedStates)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? { id: row.id } : null;
}

export async function openIncidentOf(db: Tx, code: string, model: string | null, firmware: string | null): Promise<OpenRef> {
  if (!model || !firmware) return null;
  const row = await db
    .selectFrom('fleet_incidents')
    .select('id')
    .where('code', '=', code)
    .where('model', '=', model)
    .where('firmware', '=', firmware)
    .where('state', 'not in', CLOSED_INCIDENT_STATES)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? { id: row.id } : null;
}

/** Raises of this code on this box since `since` (receive time: box clocks drift). */
export async function countRaises(db: Tx, deviceId: number, code: string, since: number): Promise<number> {
  const r = await db
    .selectFrom('faults')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('device_id', '=', deviceId)
    .where('code', '=', code)
    .where('state', '=', 'raised')
    .where('received_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Whether a case this code was triaged into was resolved remotely since `since`. */
export async function resolvedCaseSince(db: Tx, deviceId: number, code: string, since: number): Promise<boolean> {
  const row = await db
    .selectFrom('remote_cases as c')
    .select('c.id')
    .where('c.device_id', '=', deviceId)
    .where('c.state', '=', 'resolved-remotely')
    .where('c.closed_at', '>=', since)
    .where((eb) =>
      eb.or([
        eb('c.code', '=', code),
        eb.exists(
          eb
            .selectFrom('triage_decisions as d')
            .select('d.id')
            .whereRef('d.target_id', '=', 'c.id')
            .where('d.target_kind', '=', 'case')
            .where('d.code', '=', code),
        ),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/** Distinct boxes of one model and firmware that raised this code since `since`. */
export async function countFleetBoxes(db: Tx, code: string, model: string | null, firmware: string | null, since: number): Promise<number> {
  if (!model || !firmware) return 0;
  const r = await db
    .selectFrom('faults')
    .select((eb) => eb.fn.count<number>('device_id').distinct().as('n'))
    .where('code', '=', code)
    .where('model', '=', model)
    .where('firmware', '=', firmware)
    .where('state', '=', 'raised')
    .where('received_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
