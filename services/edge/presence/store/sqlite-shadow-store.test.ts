import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/temp-dir.ts';
import { openSqlite, type OpenedSqlite } from '../../../platform/db/database.ts';
import { emptyShadow, type Shadow } from '../domain/shadow.ts';
import { createSqliteShadowStore } from './sqlite-shadow-store.ts';

describe('SQLite shadow store', () => {
  let dir: ReturnType<typeof tempDir>;
  let opened: OpenedSqlite;
  let ids: number[];

  beforeEach(async () => {
    dir = tempDir();
    opened = await openSqlite(dir.path);
    ids = [];
    for (const serial of ['MTB2411000001', 'MTB2411000002']) {
      const row = await opened.db
        .insertInto('devices')
        .values({ serial, model: 'MT-BOX-4G', enabled: 1, secret_hash: 'x', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
  });
  afterEach(async () => {
    await opened.close();
    dir.remove();
  });

  it('reads back every field it saved, and a second save replaces the first', async () => {
    const store = createSqliteShadowStore(opened.db, opened.sqlite);
    const full: Shadow = {
      deviceId: ids[0]!,
      online: true,
      lastSeen: 1_764_504_000_300,
      connectedAt: 1_764_504_000_000,
      disconnectedAt: 1_764_503_000_000,
      address: '10.1.2.3',
      reportedFw: '2.4.1',
      reportedModel: 'MT-BOX-4G',
      metrics: { supply_voltage: 24.1, rssi: -71 },
      metricsTs: 1_764_504_000_250,
      metricsReceivedAt: 1_764_504_000_300,
      rejected: { schema: 2, 'invalid-json': 1 },
    };
    const empty = emptyShadow(ids[1]!);
    expect(store.saveMany([full, empty])).toBe(true);
    const byId = async () => new Map((await store.loadAll()).map((s) => [s.deviceId, s]));
    expect(await byId()).toEqual(
      new Map([
        [full.deviceId, full],
        [empty.deviceId, empty],
      ]),
    );

    const later = { ...full, online: false, disconnectedAt: 1_764_504_001_000, metrics: { rssi: -60 } };
    store.saveMany([later]);
    expect((await byId()).get(full.deviceId)).toEqual(later);
  });

  it('writes nothing into a transaction another part of the service holds open, and says so', async () => {
    const store = createSqliteShadowStore(opened.db, opened.sqlite);
    const shadow: Shadow = { ...emptyShadow(ids[0]!), online: true, lastSeen: 1_764_504_000_300 };
    let answered: boolean | undefined;
    // A transaction spanning an await, as triage's are: a raw write in between would join it.
    await opened.db
      .transaction()
      .execute(async (tx) => {
        await tx.updateTable('devices').set({ model: 'MT-BOX-5G' }).where('id', '=', ids[1]!).execute();
        answered = store.saveMany([shadow]);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(answered).toBe(false);
    expect(await store.loadAll()).toEqual([]);
    // Outside any transaction the same rows are written.
    expect(store.saveMany([shadow])).toBe(true);
    expect(await store.loadAll()).toEqual([shadow]);
  });
});
