import type { Kysely, Selectable } from 'kysely';
import { type Database, locksRows, type RemoteCaseTable } from '../../../platform/db/index.ts';
import type { RemoteCase } from '../domain/remote-case.ts';
import type { FleetIncident } from '../domain/fleet-incident.ts';

type Tx = Kysely<Database>;

/** A case as stored and served: the domain object plus where it is routed and what it gathered. */
export interface CaseRecord extends RemoteCase {
  deviceId: number;
  queue: string;
  incidentId: number | null;
  faultCount: number;
  lastFaultAt: number | null;
  notes: CaseNote[];
}

export interface CaseNote {
  at: number;
  by: string;
  text: string;
}

interface CaseData {
  faultCount: number;
  lastFaultAt: number | null;
  notes: CaseNote[];
}

type CaseRow = Selectable<RemoteCaseTable>;

function toCase(r: CaseRow & { serial: string }): CaseRecord {
  const data = JSON.parse(r.data) as CaseData;
  return {
    id: r.id,
    serial: r.serial,
    code: r.code,
    state: r.state as RemoteCase['state'],
    openedAt: Number(r.opened_at),
    openedBy: r.opened_by,
    updatedAt: Number(r.updated_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
    deviceId: r.device_id,
    queue: r.queue,
    incidentId: r.incident_id,
    faultCount: data.faultCount,
    lastFaultAt: data.lastFaultAt,
    notes: data.notes,
  };
}

function caseQuery(db: Tx) {
  return db.selectFrom('remote_cases as c').innerJoin('devices as d', 'd.id', 'c.device_id').selectAll('c').select('d.serial');
}

export async function insertCase(
  db: Tx,
  c: { deviceId: number; code: string; queue: string; openedAt: number; openedBy: string; incidentId: number | null; firstFaultAt: number | null },
): Promise<number> {
  const data: CaseData = { faultCount: c.firstFaultAt === null ? 0 : 1, lastFaultAt: c.firstFaultAt, notes: [] };
  const r = await db
    .insertInto('remote_cases')
    .values({
      device_id: c.deviceId,
      state: 'open',
      code: c.code,
      queue: c.queue,
      opened_at: c.openedAt,
      opened_by: c.openedBy,
      updated_at: c.openedAt,
      closed_at: null,
      incident_id: c.incidentId,
      data: JSON.stringify(data),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function getCase(db: Tx, id: number): Promise<CaseRecord | null> {
  const r = await caseQuery(db).where('c.id', '=', id).executeTakeFirst();
  return r ? toCase(r) : null;
}

/**
 * The case a transaction is about to change and save back: on PostgreSQL its row (not its
 * box's) stays locked until the commit, so a concurrent change waits and then decides on what
 * this one wrote.
 */
export async function getCaseForUpdate(tx: Tx, id: number): Promise<CaseRecord | null> {
  const r = await caseQuery(tx)
    .where('c.id', '=', id)
    .$if(locksRows(tx), (q) => q.forUpdate('c'))
    .executeTakeFirst();
  return r ? toCase(r) : null;
}

export async function listCases(db: Tx, filter: { serial?: string; state?: string; beforeId?: number; limit: number }): Promise<CaseRecord[]> {
  let q = caseQuery(db);
  if (filter.serial) q = q.where('d.serial', '=', filter.serial);
  if (filter.state) q = q.where('c.state', '=', filter.state);
  if (filter.beforeId !== undefined) q = q.where('c.id', '<', filter.beforeId);
  const rows = await q.orderBy('c.id', 'desc').limit(filter.limit).execute();
  return rows.map(toCase);
}

/** Writes a case back after a change (state, counters, notes). */
export async function saveCase(db: Tx, c: CaseRecord): Promise<void> {
  const data: CaseData = { faultCount: c.faultCount, lastFaultAt: c.lastFaultAt, notes: c.notes };
  await db
    .updateTable('remote_cases')
    .set({ state: c.state, updated_at: c.updatedAt, closed_at: c.closedAt, incident_id: c.incidentId, data: JSON.stringify(data) })
    .where('id', '=', c.id)
    .execute();
}

/** An incident as stored and served: the domain object plus the boxes it gathered. */
export interface IncidentRecord extends FleetIncident {
  boxCount: number;
  serials: string[];
  note: string;
}

export async function insertIncident(db: Tx, i: { code: string; model: string; firmware: string; openedAt: number; note: string }): Promise<number> {
  const r = await db
    .insertInto('fleet_incidents')
    .values({
      code: i.code,
      model: i.model,
      firmware: i.firmware,
      state: 'open',
      opened_at: i.openedAt,
      updated_at: i.openedAt,
      data: JSON.stringify({ note: i.note, resolvedAt: null }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function addIncidentDevice(db: Tx, incidentId: number, deviceId: number, at: number): Promise<void> {
  await db
    .insertInto('incident_devices')
    .values({ incident_id: incidentId, device_id: deviceId, first_at: at })
    .onConflict((oc) => oc.columns(['incident_id', 'device_id']).doNothing())
    .execute();
  await db.updateTable('fleet_incidents').set({ updated_at: at }).where('id', '=', incidentId).execute();
}

/** An incident with its boxes; `forUpdate` locks its row until the commit on PostgreSQL, for a change to save back. */
export async function getIncident(db: Tx, id: number, serialLimit = 1000, forUpdate = false): Promise<IncidentRecord | null> {
  const r = await db
    .selectFrom('fleet_incidents')
    .selectAll()
    .where('id', '=', id)
    .$if(forUpdate && locksRows(db), (q) => q.forUpdate())
    .executeTakeFirst();
  if (!r) return null;
  const boxes = await db
    .selectFrom('incident_devices as i')
    .innerJoin('devices as d', 'd.id', 'i.device_id')
    .select('d.serial')
    .where('i.incident_id', '=', id)
    .orderBy('i.first_at')
    .orderBy('i.device_id')
    .limit(serialLimit)
    .execute();
  const count = await db
    .selectFrom('incident_devices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('incident_id', '=', id)
    .executeTakeFirstOrThrow();
  const data = JSON.parse(r.data) as { note: string; resolvedAt: number | null };
  return {
    id: r.id,
    code: r.code,
    model: r.model,
    firmware: r.firmware,
    state: r.state as FleetIncident['state'],
    openedAt: Number(r.opened_at),
    updatedAt: Number(r.updated_at),
    resolvedAt: data.resolvedAt,
    boxCount: Number(count.n),
    serials: boxes.map((b) => b.serial),
    note: data.note,
  };
}

export async function listIncidentIds(db: Tx, filter: { state?: string; beforeId?: number; limit: number }): Promise<number[]> {
  let q = db.selectFrom('fleet_incidents').select('id');
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => r.id);
}

export async function saveIncident(db: Tx, i: IncidentRecord): Promise<void> {
  await db
    .updateTable('fleet_incidents')
    .set({ state: i.state, updated_at: i.updatedAt, data: JSON.stringify({ note: i.note, resolvedAt: i.resolvedAt }) })
    .where('id', '=', i.id)
    .execute();
}

/**
 * Cases opened by triage for the same code on boxes of this model and firmware since
 * `since` and still open: they become part of the incident instead of staying separate.
 */
export async function linkOpenCasesToIncident(
  db: Tx,
  incidentId: number,
  k: { code: string; model: string; firmware: string; since: number },
  openStates: readonly string[],
): Promise<number[]> {
  const rows = await db
    .selectFrom('remote_cases as c')
    .innerJoin('faults as f', (j) => j.onRef('f.device_id', '=', 'c.device_id').onRef('f.code', '=', 'c.code'))
    .select('c.id')
    .distinct()
    .where('c.code', '=', k.code)
    .where('c.state', 'in', openStates)
    .where('c.incident_id', 'is', null)
    .where('c.opened_at', '>=', k.since)
    .where('f.model', '=', k.model)
    .where('f.firmware', '=', k.firmware)
    .execute();
  const ids = rows.map((r) => r.id);
  if (ids.length > 0) await db.updateTable('remote_cases').set({ incident_id: incidentId }).where('id', 'in', ids).execute();
  return ids;
}
