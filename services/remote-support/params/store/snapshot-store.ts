import type { Kysely } from 'kysely';
import { ParamSet } from '../../../contract/payloads.ts';
import { type Database, lockForWrite } from '../../../platform/db/index.ts';
import type { BackupCandidate } from '../domain/backup-schedule.ts';
import type { SnapshotDigest } from '../domain/snapshot-hash.ts';
import { SnapshotReason, type ParamSnapshot, type ParamSnapshotWithParams } from '../domain/snapshot.ts';

type Tx = Kysely<Database>;

/** What a new snapshot is made of; id and time are the store's. */
export interface NewSnapshot {
  deviceId: number;
  digest: SnapshotDigest;
  /** Number of parameters. */
  count: number;
  model: string;
  firmware: string | null;
  reason: SnapshotReason;
  note: string | null;
  ticketId: number | null;
  createdBy: string;
  createdAt: number;
}

const SUMMARY_COLUMNS = [
  'parameter_snapshots.id',
  'parameter_snapshots.device_id',
  'devices.serial',
  'parameter_snapshots.hash',
  'parameter_snapshots.size',
  'parameter_snapshots.param_count',
  'parameter_snapshots.model',
  'parameter_snapshots.firmware',
  'parameter_snapshots.reason',
  'parameter_snapshots.note',
  'parameter_snapshots.ticket_id',
  'parameter_snapshots.created_by',
  'parameter_snapshots.created_at',
] as const;

interface SummaryRow {
  id: number;
  device_id: number;
  serial: string;
  hash: string;
  size: number;
  param_count: number;
  model: string;
  firmware: string | null;
  reason: string;
  note: string | null;
  ticket_id: number | null;
  created_by: string;
  created_at: number;
}

function toSummary(r: SummaryRow): ParamSnapshot {
  return {
    id: r.id,
    deviceId: r.device_id,
    serial: r.serial,
    hash: r.hash,
    size: Number(r.size),
    count: Number(r.param_count),
    model: r.model,
    firmware: r.firmware,
    reason: SnapshotReason.parse(r.reason),
    note: r.note,
    ticketId: r.ticket_id,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
  };
}

const parseParams = (text: string): ParamSet => ParamSet.parse(JSON.parse(text));

/**
 * Stores a snapshot unless the box's newest one has the same hash; then that one is
 * answered with `deduplicated: true`. Either way the box counts as backed up now. Run it in
 * a transaction so two backups of one box cannot both miss each other's row.
 */
export async function storeSnapshot(tx: Tx, s: NewSnapshot): Promise<{ snapshot: ParamSnapshotWithParams; deduplicated: boolean }> {
  // Another node's backup of the box waits here until this one commits, then reads its row as the newest.
  await lockForWrite(tx, tx.selectFrom('devices').select('id').where('id', '=', s.deviceId));
  const newest = await tx
    .selectFrom('parameter_snapshots')
    .select(['id', 'hash'])
    .where('device_id', '=', s.deviceId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let id: number;
  let deduplicated = false;
  if (newest && newest.hash === s.digest.hash) {
    id = newest.id;
    deduplicated = true;
  } else {
    const res = await tx
      .insertInto('parameter_snapshots')
      .values({
        device_id: s.deviceId,
        hash: s.digest.hash,
        size: s.digest.size,
        param_count: s.count,
        params: s.digest.text,
        model: s.model,
        firmware: s.firmware,
        reason: s.reason,
        note: s.note,
        created_by: s.createdBy,
        created_at: s.createdAt,
        ticket_id: s.ticketId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = res.id;
  }
  await tx
    .insertInto('parameter_backup_checks')
    .values({ device_id: s.deviceId, checked_at: s.createdAt, snapshot_id: id })
    .onConflict((oc) => oc.column('device_id').doUpdateSet({ checked_at: s.createdAt, snapshot_id: id }))
    .execute();
  const snapshot = await findSnapshot(tx, id);
  if (!snapshot) throw new Error(`snapshot ${id} vanished inside its own transaction`);
  return { snapshot, deduplicated };
}

export async function findSnapshot(db: Tx, id: number): Promise<ParamSnapshotWithParams | null> {
  const r = await db
    .selectFrom('parameter_snapshots')
    .innerJoin('devices', 'devices.id', 'parameter_snapshots.device_id')
    .select([...SUMMARY_COLUMNS, 'parameter_snapshots.params'])
    .where('parameter_snapshots.id', '=', id)
    .executeTakeFirst();
  return r ? { ...toSummary(r), params: parseParams(r.params) } : null;
}

/** A box's snapshots, newest first, without their parameters; `beforeId` continues a page. */
export async function listSnapshots(db: Tx, deviceId: number, limit: number, beforeId?: number): Promise<ParamSnapshot[]> {
  let q = db
    .selectFrom('parameter_snapshots')
    .innerJoin('devices', 'devices.id', 'parameter_snapshots.device_id')
    .select(SUMMARY_COLUMNS)
    .where('parameter_snapshots.device_id', '=', deviceId);
  if (beforeId !== undefined) q = q.where('parameter_snapshots.id', '<', beforeId);
  const rows = await q.orderBy('parameter_snapshots.id', 'desc').limit(limit).execute();
  return rows.map(toSummary);
}

/**
 * Enabled boxes among `online` with the time each was last backed up. Filtered here rather
 * than with `IN (…)`: a large fleet online would pass SQLite's bound-parameter limit.
 */
export async function backupCandidates(db: Tx, online: ReadonlySet<number>): Promise<BackupCandidate[]> {
  if (online.size === 0) return [];
  const rows = await db
    .selectFrom('devices')
    .leftJoin('parameter_backup_checks', 'parameter_backup_checks.device_id', 'devices.id')
    .select(['devices.id', 'devices.serial', 'parameter_backup_checks.checked_at'])
    .where('devices.enabled', '=', 1)
    .execute();
  return rows
    .filter((r) => online.has(r.id))
    .map((r) => ({ deviceId: r.id, serial: r.serial, lastBackupAt: r.checked_at === null ? null : Number(r.checked_at) }));
}
