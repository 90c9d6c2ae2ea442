import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseEnv } from '../../../../test/helpers/test-database.ts';
import { tempDir } from '../../../../test/helpers/temp-dir.ts';
import type { OpenedDatabase } from '../../../platform/db/index.ts';
import { createSqliteNotificationStore } from '../../notifications/store/sqlite-notification-store.ts';
import { createSqliteOrganisationStore } from './sqlite-organisation-store.ts';

/*
 * What the organisation and notification stores promise, on whichever database the project
 * runs: names are unique and found without regard to case (PostgreSQL's LIKE and unique
 * errors differ from SQLite's), and a notification is stored once per dedupe key.
 */

const NOW = Date.UTC(2026, 10, 2, 9, 0);

describe('the organisation and notification stores', () => {
  let dir: ReturnType<typeof tempDir>;
  let opened: OpenedDatabase;

  beforeEach(async () => {
    dir = tempDir('c15-aftersales-orgs-');
    opened = await openTestDatabase(dir.path, await testDatabaseEnv());
  });
  afterEach(async () => {
    await opened.close();
    dir.remove();
  });

  it('refuses a second organisation whose name differs only in case, and finds names by any part in any case', async () => {
    const orgs = createSqliteOrganisationStore(opened.db);
    const wuxi = await orgs.create({ name: 'Wuxi Water' }, NOW);
    await orgs.create({ name: 'Suzhou 100% Metro' }, NOW);
    expect(wuxi.ok).toBe(true);

    expect(await orgs.create({ name: 'WUXI WATER' }, NOW)).toEqual({ ok: false, error: 'ORGANISATION_EXISTS' });
    expect((await orgs.list({ q: 'water', limit: 10 })).map((o) => o.name)).toEqual(['Wuxi Water']);
    expect((await orgs.list({ q: '100%', limit: 10 })).map((o) => o.name)).toEqual(['Suzhou 100% Metro']);
    expect((await orgs.findByName(' wuxi water '))?.name).toBe('Wuxi Water');
  });

  it('stores a notification once per dedupe key and answers null for the repeat', async () => {
    const orgs = createSqliteOrganisationStore(opened.db);
    const created = await orgs.create({ name: 'Wuxi Water' }, NOW);
    if (!created.ok) throw new Error(created.error);
    const organisationId = created.organisation.id;
    const notifications = createSqliteNotificationStore(opened.db);
    await notifications.saveWebhook(organisationId, { url: 'https://pms.example/hook', enabled: true, secret: 's3cret' }, NOW);
    const draft = {
      organisationId,
      kind: 'payment-due',
      subject: { kind: 'rma', id: 7 },
      dedupeKey: 'rma:7:awaiting-payment:1',
      title: 'Payment due',
      text: 'Please pay',
    } as const;

    const id = await notifications.add(draft, NOW);
    expect(id).toEqual(expect.any(Number));
    expect(await notifications.add(draft, NOW + 1)).toBeNull();

    const { rows, unread } = await notifications.list(organisationId, { unreadOnly: false, limit: 10 });
    expect(rows.map((n) => n.id)).toEqual([id]);
    expect(unread).toBe(1);
    const deliveries = await notifications.deliveries(organisationId, { limit: 10 });
    expect(deliveries.map((d) => ({ notificationId: d.notificationId, state: d.state }))).toEqual([{ notificationId: id, state: 'pending' }]);
  });
});
