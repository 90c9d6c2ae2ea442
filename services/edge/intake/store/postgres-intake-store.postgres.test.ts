import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdRows, whileHeld } from '../../../../test/helpers/held-rows.ts';
import { insertTestDevice, openFreshPostgres } from '../../../../test/helpers/test-database.ts';
import { waitFor } from '../../../../test/helpers/wait-for.ts';
import type { Db, OpenedPostgres } from '../../../platform/db/index.ts';
import type { IntakeStore, StoredEvent, StoredFault } from '../domain/intake-port.ts';
import { createPostgresIntakeStore } from './postgres-intake-store.ts';

describe('fault and event inserts grouped into one statement on PostgreSQL', () => {
  let opened: OpenedPostgres;
  let store: IntakeStore;
  let deviceId: number;

  beforeEach(async () => {
    opened = await openFreshPostgres();
    store = createPostgresIntakeStore(opened.db);
    deviceId = await insertTestDevice(opened.db, 'MTB26GROUP001', 0);
  });
  afterEach(() => opened.close());

  const fault = (id: string, over: Partial<StoredFault> = {}): StoredFault => ({
    deviceId,
    id,
    ts: 1_000,
    receivedAt: 2_000,
    code: 'PLC_LINK_DOWN',
    severity: 'warning',
    ...over,
  });
  const stored = async () => opened.db.selectFrom('faults').select(['id', 'fault_id', 'context']).orderBy('id').execute();

  it('stores a redelivery in the same group once, answers it as not stored, and gives each stored row its id', async () => {
    const results = await Promise.all([
      store.saveFault(fault('f-1')),
      store.saveFault(fault('f-1')),
      store.saveFault(fault('f-2', { context: { a: 1 } })),
    ]);
    const rows = await stored();
    expect(rows.map((r) => r.fault_id)).toEqual(['f-1', 'f-2']);
    expect(results).toEqual([{ stored: true, rowId: rows[0]!.id }, { stored: false }, { stored: true, rowId: rows[1]!.id }]);
    expect(rows[1]!.context).toBe('{"a":1}');
  });

  it('answers a redelivery in a later group as not stored', async () => {
    await store.saveFault(fault('f-1'));
    expect(await store.saveFault(fault('f-1', { code: 'OTHER' }))).toEqual({ stored: false });
    expect((await stored()).length).toBe(1);
  });

  it('fails only the row the database refuses; the rest of its group is stored', async () => {
    const results = await Promise.allSettled([
      store.saveFault(fault('f-1')),
      store.saveFault(fault('f-bad', { deviceId: 999_999 })),
      store.saveFault(fault('f-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await stored()).map((r) => r.fault_id)).toEqual(['f-1', 'f-2']);
  });

  // A transaction holding an uncommitted fault with the same key makes the fault's insert wait,
  // while the event's goes through at once.
  const slowFault = (tx: Db) =>
    tx
      .insertInto('faults')
      .values({ device_id: deviceId, fault_id: 'f-slow', ts: 1, received_at: 1, code: 'X', severity: 'warning', state: 'raised' })
      .execute();
  const nextEvent = (): StoredEvent => ({ deviceId, id: 'e-next', ts: 1_001, receivedAt: 2_001, type: 'tamper' });

  it("answers a fault and the event the box sent after it in that order, though the fault's insert is slower", async () => {
    const answered: string[] = [];
    await whileHeld(opened, slowFault, 1, () => [
      store.saveFault(fault('f-slow')).then(() => answered.push('fault')),
      store.saveEvent(nextEvent()).then(() => answered.push('event')),
    ]);
    expect(answered).toEqual(['fault', 'event']);
  });

  it('answers an event stored in a later turn only after the slower fault the box sent before it', async () => {
    const answered: string[] = [];
    const held = await holdRows(opened.db, slowFault);
    const faultAnswered = store.saveFault(fault('f-slow')).then(() => answered.push('fault'));
    await held.waiters(1);
    const eventAnswered = store.saveEvent(nextEvent()).then(() => answered.push('event'));
    await waitFor(async () => (await opened.db.selectFrom('events').select('id').where('event_id', '=', 'e-next').execute()).length === 1, {
      what: 'the event committed',
    });
    // Stored, but not answered before the fault: its answer would reach a session's timeline first.
    expect(answered).toEqual([]);
    await held.release();
    await Promise.all([faultAnswered, eventAnswered]);
    expect(answered).toEqual(['fault', 'event']);
  });

  it('stores evidence events the same way and lists them newest first', async () => {
    const event = (id: string, ts: number): StoredEvent => ({ deviceId, id, ts, receivedAt: ts + 5, type: 'surge', details: { volts: 300 } });
    const results = await Promise.all([store.saveEvent(event('e-1', 10)), store.saveEvent(event('e-2', 20)), store.saveEvent(event('e-1', 10))]);
    expect(results.map((r) => r.stored)).toEqual([true, true, false]);
    const listed = await store.listEvents(deviceId, { limit: 10 });
    expect(listed.map((e) => [e.id, e.ts, e.details])).toEqual([
      ['e-2', 20, { volts: 300 }],
      ['e-1', 10, { volts: 300 }],
    ]);
  });
});
