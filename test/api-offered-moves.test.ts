import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

/*
 * The moves a case, an incident and a platform ticket answer with, so a page offers only
 * those as buttons: read from each process's transition table, and for platform tickets with
 * the roles that may make each move.
 */

interface Detail {
  id: number;
  state: string;
  allowedTransitions: string[];
}
interface PlatformView {
  id: number;
  ticket: { state: string };
  allowedTransitions: string[];
  moves: Array<{ to: string; roles: string[]; summary: string }>;
}

const HOUR = 3_600_000;

describe('moves offered by case, incident and platform ticket answers', () => {
  let api: ApiFixture;
  let admin: Record<string, string>;
  let engineer: Record<string, string>;
  let afterSales: Record<string, string>;
  let faultSeq = 0;

  beforeAll(async () => {
    api = await startApiFixture();
    admin = await api.headersFor('admin');
    engineer = await api.headersFor('engineer');
    afterSales = await api.headersFor('after-sales');
  });
  afterAll(() => api.close());

  async function json<T>(res: Response, status = 200): Promise<T> {
    if (res.status !== status) throw new Error(`answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Registers a box and has it raise `code`, triaged as the broker's intake would have it. */
  async function boxRaises(serial: string, code: string, firmware = '2.4.1'): Promise<void> {
    const registered = await api.request('POST', '/api/devices', { headers: admin, json: { serial, model: 'MT-BOX-4G', firmware } });
    expect(registered.status).toBe(201);
    const device = await api.registry.findBySerial(serial);
    const now = api.now();
    const saved = await api.intake.saveFault({ deviceId: device!.id, receivedAt: now, id: `f-${++faultSeq}`, ts: now, code, severity: 'error' });
    if (!saved.stored) throw new Error('fault not stored');
    api.afterSales.diagnostics.enqueue('fault', saved.rowId);
    await api.afterSales.diagnostics.idle();
  }

  it("answers a case's allowed moves from its transition table, and the next ones after a move", async () => {
    await boxRaises('MTB26MOV00001', 'CELL_NO_SIM');
    const [listed] = await json<Detail[]>(await api.request('GET', '/api/cases?serial=MTB26MOV00001', { headers: afterSales }));
    const opened = await json<Detail>(await api.request('GET', `/api/cases/${listed!.id}`, { headers: afterSales }));
    expect(opened.state).toBe('open');
    expect(opened.allowedTransitions).toEqual(['in-progress', 'escalated']);

    const moved = await json<Detail>(
      await api.request('POST', `/api/cases/${opened.id}/transitions`, {
        headers: engineer,
        json: { to: 'in-progress', reason: 'calling the site' },
      }),
    );
    expect(moved.allowedTransitions).toEqual(['resolved-remotely', 'escalated', 'abandoned']);
    const resolved = await json<Detail>(
      await api.request('POST', `/api/cases/${opened.id}/transitions`, {
        headers: engineer,
        json: { to: 'resolved-remotely', reason: 'SIM reseated' },
      }),
    );
    expect(resolved.allowedTransitions).toEqual([]);
  });

  it("answers an incident's allowed moves: acknowledge, then resolve, then none", async () => {
    for (let i = 1; i <= 5; i++) await boxRaises(`MTB26MOV1000${i}`, 'CLOUD_AUTH_FAILED', '2.9.0');
    const [listed] = await json<Detail[]>(await api.request('GET', '/api/incidents', { headers: afterSales }));
    const opened = await json<Detail>(await api.request('GET', `/api/incidents/${listed!.id}`, { headers: afterSales }));
    expect(opened.allowedTransitions).toEqual(['acknowledged']);
    const move = (to: string) =>
      api.request('POST', `/api/incidents/${opened.id}/transitions`, { headers: engineer, json: { to, reason: 'firmware team on it' } });
    expect((await json<Detail>(await move('acknowledged'))).allowedTransitions).toEqual(['resolved']);
    expect((await json<Detail>(await move('resolved'))).allowedTransitions).toEqual([]);
  });

  it('answers the moves of a platform ticket with the roles that may make each', async () => {
    const form = {
      project: 'Wuxi smart water',
      reporter: 'Li Wei',
      contact: '0510-12345678',
      description: 'No data',
      severity: 'high',
      occurredAt: api.now() - HOUR,
    };
    const submitted = await json<PlatformView>(await api.request('POST', '/api/platform-tickets', { headers: engineer, json: form }), 201);
    expect(submitted.moves).toEqual([
      { to: 'confirmed', roles: ['admin', 'after-sales'], summary: 'within the maintenance period and scope' },
      { to: 'out-of-scope', roles: ['admin', 'after-sales'], summary: 'an exclusion applies or the maintenance period is over' },
    ]);
    expect(submitted.allowedTransitions).toEqual(['confirmed', 'out-of-scope']);

    const path = `/api/platform-tickets/${submitted.id}/transitions`;
    await json<PlatformView>(await api.request('POST', path, { headers: afterSales, json: { to: 'confirmed', reason: 'in scope' } }));
    const read = await json<PlatformView>(await api.request('GET', `/api/platform-tickets/${submitted.id}`, { headers: engineer }));
    expect(read.moves).toEqual([
      {
        to: 'repairing',
        roles: ['admin', 'after-sales', 'engineer'],
        summary: 'problem and solution confirmed with the customer; repair time agreed',
      },
    ]);
    const [inList] = (await json<PlatformView[]>(await api.request('GET', '/api/platform-tickets?state=confirmed', { headers: engineer }))).filter(
      (t) => t.id === submitted.id,
    );
    expect(inList?.moves).toEqual(read.moves);
  });
});
