import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type OpenedSqlite } from '../../../platform/db/index.ts';
import { tempDir } from '../../../../test/helpers/temp-dir.ts';
import type { IntakeStore, StoredFault } from '../domain/intake-port.ts';
import { createSqliteIntakeStore } from './sqlite-intake-store.ts';

describe('fault and event inserts committed as a group', () => {
  let dir: ReturnType<typeof tempDir>;
  let opened: OpenedSqlite;
  let store: IntakeStore;
  let deviceId: number;

  beforeEach(async () => {
    dir = tempDir('mtbox-intake-');
    opened = await openSqlite(dir.path);
    store = createSqliteIntakeStore(opened.db, opened.sqlite);
    const device = await opened.db
      .insertInto('devices')
      .values({ serial: 'MTB26GROUP001', model: 'MT-BOX-4G', firmware: '2.1.0', enabled: 1, secret_hash: 'x', created_at: 0 })
      .executeTakeFirstOrThrow();
    deviceId = Number(device.insertId);
  });
  afterEach(async () => {
    await opened.close();
    dir.remove();
  });

  const fault = (id: string, over: Partial<StoredFault> = {}): StoredFault => ({
    deviceId,
    id,
    ts: 1_000,
    receivedAt: 2_000,
    code: 'PLC_LINK_DOWN',
    severity: 'warning',
    ...over,
  });
  const faultIds = async () => (await opened.db.selectFrom('faults').select('fault_id').orderBy('id').execute()).map((r) => r.fault_id);

  it('stores a redelivery in the same group once and answers it as not stored', async () => {
    const results = await Promise.all([store.saveFault(fault('f-1')), store.saveFault(fault('f-1')), store.saveFault(fault('f-2'))]);
    expect(results.map((r) => r.stored)).toEqual([true, false, true]);
    expect(await faultIds()).toEqual(['f-1', 'f-2']);
  });

  it('refuses only the write that fails; the rest of its group is committed', async () => {
    const results = await Promise.allSettled([
      store.saveFault(fault('f-1')),
      // No such box: the foreign key refuses this one insert.
      store.saveFault(fault('f-2', { deviceId: deviceId + 1000 })),
      store.saveEvent({ deviceId, id: 'e-1', ts: 1_000, receivedAt: 2_000, type: 'surge' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await faultIds()).toEqual(['f-1']);
    expect(await opened.db.selectFrom('events').select('event_id').execute()).toEqual([{ event_id: 'e-1' }]);
  });

  it('waits for an open transaction instead of joining it, so a rollback cannot take an acknowledged fault', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inTransaction!: () => void;
    const opening = new Promise<void>((resolve) => {
      inTransaction = resolve;
    });
    const rolledBack = opened.db
      .transaction()
      .execute(async (tx) => {
        await tx
          .insertInto('events')
          .values({ device_id: deviceId, event_id: 'e-doomed', ts: 1, received_at: 1, type: 'surge', details: null, triaged_at: null })
          .execute();
        inTransaction();
        await released;
        throw new Error('rolled back on purpose');
      })
      .catch((err: Error) => err.message);
    await opening;
    let answered = false;
    const saved = store.saveFault(fault('f-1')).then((r) => {
      answered = true;
      return r;
    });
    // Turns of the event loop pass while the transaction stays open: the insert must not answer.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(opened.sqlite.inTransaction).toBe(true);
    expect(answered).toBe(false);
    release();
    expect(await rolledBack).toBe('rolled back on purpose');
    expect(await saved).toMatchObject({ stored: true });
    expect(await faultIds()).toEqual(['f-1']);
    expect(await opened.db.selectFrom('events').select('event_id').execute()).toEqual([]);
  });
});
