import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

describe('triage survives a crash between the fault commit and the decision', () => {
  let backend: TestBackend;
  let serial: string;

  beforeAll(async () => {
    backend = await startTestBackend();
    serial = (await backend.app.provision(['MTB26RESUME01']))[0]!.serial;
  });
  afterAll(() => backend.stop());

  it('decides on start about faults and events that were committed but never triaged', async () => {
    await backend.app.stop();
    // What a kill -9 right after the PUBACK leaves behind: stored rows, no decision yet.
    const { db, close } = await backend.openDatabase();
    const device = await db.selectFrom('devices').select('id').where('serial', '=', serial).executeTakeFirstOrThrow();
    const now = Date.now();
    await db
      .insertInto('events')
      .values({
        device_id: device.id,
        event_id: 'e-crash-1',
        ts: now - 2000,
        received_at: now - 2000,
        type: 'water',
        details: null,
        triaged_at: null,
      })
      .execute();
    await db
      .insertInto('faults')
      .values({
        device_id: device.id,
        fault_id: 'f-crash-1',
        ts: now - 1000,
        received_at: now - 1000,
        code: 'RADIO_MODULE_DEAD',
        severity: 'critical',
        message: null,
        context: null,
        state: 'raised',
        triaged_at: null,
        model: null,
        firmware: null,
      })
      .execute();
    await close();

    await backend.restart();
    const headers = await backend.adminHeaders();
    const tickets = await waitFor(
      async () => {
        const list = (await (await fetch(`${backend.api}/tickets?serial=${serial}`, { headers })).json()) as Array<{
          origin: { code: string };
          exclusions: Array<{ exclusion: string }>;
        }>;
        return list.length > 0 ? list : null;
      },
      { what: 'the ticket from the resumed triage' },
    );
    expect(tickets.map((t) => t.origin.code)).toEqual(['RADIO_MODULE_DEAD']);
    // Resume takes evidence events before faults, so the evidence is on the ticket.
    expect(tickets[0]!.exclusions.map((e) => e.exclusion)).toEqual(['water-ingress']);
    const untriaged = await backend.app.db.selectFrom('faults').select('id').where('triaged_at', 'is', null).execute();
    expect(untriaged).toEqual([]);
  });
});
