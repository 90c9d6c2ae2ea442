import { describe, expect, it } from 'vitest';
import { databaseEachTest } from '../../../../test/helpers/database-each-test.ts';
import { createOrganisationStore } from '../../organisations/store/organisation-store.ts';
import { createNotificationStore } from './notification-store.ts';

/*
 * What the notification store promises on whichever database the project runs: a
 * notification is stored once per dedupe key, and a due webhook delivery is taken by one node only.
 */

const NOW = Date.UTC(2026, 10, 2, 9, 0);

describe('the notification store', () => {
  const scratch = databaseEachTest();

  it('stores a notification once per dedupe key and answers null for the repeat', async () => {
    const orgs = createOrganisationStore(scratch.db);
    const created = await orgs.create({ name: 'Wuxi Water' }, NOW);
    if (!created.ok) throw new Error(created.error);
    const organisationId = created.organisation.id;
    const notifications = createNotificationStore(scratch.db);
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

  it('lets one of two nodes that read the same due delivery claim it, and offers it again once the lease has passed', async () => {
    const orgs = createOrganisationStore(scratch.db);
    const created = await orgs.create({ name: 'Wuxi Water' }, NOW);
    if (!created.ok) throw new Error(created.error);
    const organisationId = created.organisation.id;
    const notifications = createNotificationStore(scratch.db);
    await notifications.saveWebhook(organisationId, { url: 'https://pms.example/hook', enabled: true, secret: 's3cret' }, NOW);
    const draft = { organisationId, kind: 'payment-due', subject: { kind: 'rma', id: 7 }, dedupeKey: 'k', title: 't', text: 'x' } as const;
    await notifications.add(draft, NOW);
    const [seenByA] = await notifications.due(NOW, 10);
    const [seenByB] = await notifications.due(NOW, 10);

    const claims = await Promise.all([seenByA!, seenByB!].map((d) => notifications.claim(d.id, d.nextAttemptAt!, NOW + 60_000)));

    expect(claims.sort()).toEqual([false, true]);
    expect(await notifications.due(NOW + 1, 10)).toEqual([]);
    expect((await notifications.due(NOW + 60_000, 10)).map((d) => d.id)).toEqual([seenByA!.id]);
  });
});
