import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

/*
 * The first-response time is our own policy, not the seed's, so it is the FIRST_RESPONSE_HOURS
 * setting: a backend started with a value other than the default arms RMA tickets with it.
 */

let api: ApiFixture;
beforeAll(async () => {
  api = await startApiFixture({ FIRST_RESPONSE_HOURS: '6' });
  const admin = await api.headersFor('admin');
  const res = await api.request('POST', '/api/devices', {
    headers: admin,
    json: {
      serial: 'MTB2506000101',
      model: 'MT-BOX-4G',
      receiptDate: '2025-03-01',
      customer: { name: 'Acme Automation', businessLine: 'smart-factory' },
    },
  });
  expect(res.status).toBe(201);
});
afterAll(() => api.close());

describe("FIRST_RESPONSE_HOURS (our policy, not the seed's)", () => {
  it("arms a new RMA ticket's first-response deadline with the configured business hours", async () => {
    expect(api.config.FIRST_RESPONSE_HOURS).toBe(6);
    // 2025-06-15 16:00 local is a Sunday: the hotline opens Monday 09:00, so six business
    // hours run out Monday 15:00 local (07:00 UTC); the default four would end at 13:00.
    expect(api.now()).toBe(START);
    const res = await api.request('POST', '/api/tickets', { headers: await api.headersFor('after-sales'), json: { serial: 'MTB2506000101' } });
    expect(res.status).toBe(201);
    const view = (await res.json()) as { ticket: { deadlines: Array<Record<string, unknown>> } };
    expect(view.ticket.deadlines).toEqual([
      {
        kind: 'first-response',
        scheduledAt: START,
        dueDate: '2025-06-16',
        dueAt: Date.parse('2025-06-16T07:00:00Z'),
        unofficialYears: [],
        firedAt: null,
        cancelledAt: null,
      },
    ]);
  });
});
