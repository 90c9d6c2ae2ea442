import { beforeEach, describe, expect, it } from 'vitest';
import { databaseEachTest } from '../../../../test/helpers/database-each-test.ts';
import { whileHeld } from '../../../../test/helpers/held-rows.ts';
import { insertTestDevice } from '../../../../test/helpers/test-database.ts';
import { digestParams } from '../domain/snapshot-hash.ts';
import { type NewSnapshot, storeSnapshot } from './snapshot-store.ts';

/* Parameter snapshots on the database itself, SQLite or PostgreSQL (the postgres project). */

const NOW = Date.parse('2025-06-16T02:00:00Z');

const scratch = databaseEachTest();
let deviceId: number;

beforeEach(async () => {
  deviceId = await insertTestDevice(scratch.db, 'MTBPS0001', NOW);
});

const params = { 'plc.baud': 9600, 'net.dhcp': true };

const snapshot = (at: number): NewSnapshot => ({
  deviceId,
  digest: digestParams(params),
  count: Object.keys(params).length,
  model: 'MT-BOX',
  firmware: '1.0.0',
  reason: 'manual',
  note: null,
  ticketId: null,
  createdBy: 'eng',
  createdAt: at,
});

describe('storing a snapshot', () => {
  it('keeps one copy when two backups of the same parameters arrive at once (two nodes)', async () => {
    const results = await whileHeld(
      scratch.opened,
      (tx) => tx.updateTable('devices').set({ enabled: 1 }).where('id', '=', deviceId).execute(),
      2,
      () => [1, 2].map((i) => scratch.db.transaction().execute((tx) => storeSnapshot(tx, snapshot(NOW + i)))),
    );
    expect(results.map((r) => r.deduplicated).sort()).toEqual([false, true]);
    expect(new Set(results.map((r) => r.snapshot.id)).size).toBe(1);
    expect(results[0]!.snapshot.params).toEqual(params);
    const rows = await scratch.db.selectFrom('parameter_snapshots').select('id').execute();
    expect(rows).toHaveLength(1);
    const check = await scratch.db.selectFrom('parameter_backup_checks').selectAll().executeTakeFirstOrThrow();
    expect(check).toMatchObject({ device_id: deviceId, snapshot_id: rows[0]!.id });
  });
});
