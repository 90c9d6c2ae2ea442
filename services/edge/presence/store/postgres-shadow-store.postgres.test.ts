import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFreshPostgres } from '../../../../test/helpers/test-database.ts';
import type { OpenedPostgres } from '../../../platform/db/index.ts';
import { emptyShadow, type Shadow } from '../domain/shadow.ts';
import { createPostgresShadowStore } from './postgres-shadow-store.ts';

describe('device shadows on PostgreSQL', () => {
  let opened: OpenedPostgres;
  let ids: number[];

  beforeEach(async () => {
    opened = await openFreshPostgres();
    const rows = await opened.db
      .insertInto('devices')
      .values(
        ['MTB26SHADOW01', 'MTB26SHADOW02'].map((serial) => ({
          serial,
          model: 'MT-BOX-4G',
          firmware: '2.1.0',
          enabled: 1,
          secret_hash: 'x',
          created_at: 0,
        })),
      )
      .returning('id')
      .execute();
    ids = rows.map((r) => r.id);
  });
  afterEach(() => opened.close());

  const full = (deviceId: number, lastSeen: number): Shadow => ({
    ...emptyShadow(deviceId),
    online: true,
    lastSeen,
    connectedAt: lastSeen - 100,
    address: '10.0.0.7',
    reportedFw: '2.2.0',
    reportedModel: 'MT-BOX-5G',
    metrics: { rssi: -71, temp: 41.5 },
    metricsTs: lastSeen - 1,
    metricsReceivedAt: lastSeen,
    rejected: { 'too-large': 2 },
  });

  it('writes every box of a flush in one upsert and reads them back as written', async () => {
    const store = createPostgresShadowStore(opened.db);
    const written = [full(ids[0]!, 1_764_504_000_000), { ...emptyShadow(ids[1]!), lastSeen: 1_764_504_000_500 }];
    expect(await store.saveMany(written)).toBe(true);
    const later = { ...written[0]!, online: false, disconnectedAt: 1_764_504_001_000, lastSeen: 1_764_504_001_000 };
    await store.saveMany([later]);
    const byId = new Map((await store.loadAll()).map((s) => [s.deviceId, s]));
    expect(byId.get(ids[0]!)).toEqual(later);
    expect(byId.get(ids[1]!)).toEqual(written[1]);
  });

  it('keeps the newer state when another node writes an older one later', async () => {
    const store = createPostgresShadowStore(opened.db);
    const newer = full(ids[0]!, 2_000_000);
    await store.saveMany([newer]);
    await store.saveMany([{ ...newer, online: false, lastSeen: 1_000_000 }]);
    expect(await store.loadAll()).toEqual([newer]);
  });
});
