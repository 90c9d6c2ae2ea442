import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { testDatabaseEnv } from './helpers/test-database.ts';

/*
 * Work a cluster must do once however many nodes see it (issue 15): three whole backends on one
 * PostgreSQL database, each with its own scheduler and triage queue. The clock is one variable
 * all three read; SCHEDULER_POLL_S is an hour, so only the test's `tick()` fires deadlines.
 */

const TICKETS = 100;
const BURST = 20;

let now = Date.parse('2025-11-03T01:00:00Z'); // Mon 09:00 local (UTC+8), no holiday for weeks
const clock = () => now;
let nodes: TestBackend[] = [];

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field against literal values
async function api(node: TestBackend, method: string, path: string, json?: unknown, expected = 200): Promise<any> {
  const headers: Record<string, string> = { ...(await node.adminHeaders()) };
  if (json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${node.api}${path}`, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  const body = await res.json();
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Registers a box and takes a ticket for it to the bench, which arms its repair-cycle deadline. */
async function onTheBench(node: TestBackend, serial: string): Promise<number> {
  await api(
    node,
    'POST',
    '/devices',
    {
      serial,
      model: 'MT-BOX-4G',
      receiptDate: '2025-06-01',
      customer: { name: 'Taihu Water Works', businessLine: 'smart-environmental-protection' },
    },
    201,
  );
  const { id } = await api(node, 'POST', '/tickets', { serial }, 201);
  await api(node, 'POST', `/tickets/${id}/transitions`, { to: 'warranty-confirmed', reason: 'warranty checked' });
  await api(node, 'POST', `/tickets/${id}/transitions`, { to: 'awaiting-product', reason: 'shipping instructions sent' });
  await api(node, 'POST', `/tickets/${id}/shipping`, { direction: 'inbound', carrier: 'SF Express', trackingNumber: `SF${serial}` });
  await api(node, 'POST', `/tickets/${id}/transitions`, { to: 'received', reason: 'box arrived at the repair centre' });
  return id;
}

/** Runs `work` for every item, `width` at a time, spread over the nodes in turn. */
async function spread<T, R>(items: readonly T[], width: number, work: (node: TestBackend, item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) {
    out.push(...(await Promise.all(items.slice(i, i + width).map((item, k) => work(nodes[(i + k) % nodes.length]!, item)))));
  }
  return out;
}

/** Stores raised faults the way the broker does before its PUBACK: committed, not yet triaged. */
async function storeFaults(deviceId: number, code: string, count: number, prefix: string, severity = 'critical'): Promise<number[]> {
  const rows = await nodes[0]!.app.db
    .insertInto('faults')
    .values(
      Array.from({ length: count }, (_, k) => ({
        device_id: deviceId,
        fault_id: `${prefix}-${k}`,
        ts: now - count + k,
        received_at: now - count + k,
        code,
        severity,
        message: null,
        context: null,
        state: 'raised',
        triaged_at: null,
        model: null,
        firmware: null,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** A provisioned box; with `firmware`, one fleet correlation can count (the registry's model and firmware). */
async function deviceOf(serial: string, firmware: string | null = null): Promise<number> {
  await nodes[0]!.app.provision([serial]);
  const { db } = nodes[0]!.app;
  if (firmware) await db.updateTable('devices').set({ model: 'MT-BOX-4G', firmware }).where('serial', '=', serial).execute();
  return (await db.selectFrom('devices').select('id').where('serial', '=', serial).executeTakeFirstOrThrow()).id;
}

async function allIdle(): Promise<void> {
  await Promise.all(nodes.map((n) => n.app.afterSales.diagnostics.idle()));
}

async function decisionsOf(deviceId: number) {
  return nodes[0]!.app.db
    .selectFrom('triage_decisions')
    .select(['source_id', 'action', 'target_kind', 'target_id'])
    .where('device_id', '=', deviceId)
    .where('source', '=', 'fault')
    .orderBy('source_id')
    .execute();
}

/** One decision per fault, in the faults' order: the first opens the target, every other one attaches to it. */
async function expectOneTarget(deviceId: number, faultIds: number[], opening: 'open-rma' | 'open-case', targetId: number): Promise<void> {
  const decisions = await decisionsOf(deviceId);
  expect(decisions.map((d) => d.source_id)).toEqual(faultIds);
  expect(decisions.filter((d) => d.action === opening)).toHaveLength(1);
  expect(decisions.filter((d) => d.action === opening.replace('open-', 'attach-'))).toHaveLength(faultIds.length - 1);
  expect(new Set(decisions.map((d) => d.target_id))).toEqual(new Set([targetId]));
}

async function ticketsOf(serial: string) {
  return nodes[0]!.app.db.selectFrom('rma_tickets').select(['id', 'state']).where('serial', '=', serial).orderBy('id').execute();
}

beforeAll(async () => {
  // Sessions must outlast the weeks the clock is moved forward.
  const shared = { ...(await testDatabaseEnv()), SCHEDULER_POLL_S: '3600', SESSION_TTL_H: '87600' };
  for (let i = 0; i < 3; i++) nodes.push(await startTestBackend(shared, { clock }));
});
afterAll(async () => {
  for (const node of nodes) await node.stop();
  nodes = [];
});

describe('deadlines due on a cluster of three nodes', () => {
  it('fires each of 100 due deadlines exactly once while all three schedulers tick at once', async () => {
    const serials = Array.from({ length: TICKETS }, (_, i) => `MTB25ONCE${String(i).padStart(4, '0')}`);
    // Most of the test's time: 600 requests, a dozen at a time, spread over the nodes.
    const ids = await spread(serials, 12, onTheBench);
    const { db } = nodes[0]!.app;
    const armed = await db
      .selectFrom('deadlines')
      .select(['id', 'entity_id', 'due_at'])
      .where('entity_kind', '=', 'rma')
      .where('kind', '=', 'repair-cycle')
      .where('fired_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .execute();
    expect(armed.map((d) => d.entity_id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));

    now = Math.max(...armed.map((d) => Number(d.due_at)));
    const rounds: number[][] = [];
    for (let round = 0; round < 3; round++) {
      rounds.push(await Promise.all(nodes.map((n) => n.app.afterSales.scheduler.tick())));
    }
    // Each node counts only what it fired itself: 100 in all, and nothing left after the first round.
    expect(rounds[0]!.reduce((a, b) => a + b, 0)).toBe(TICKETS);
    expect(rounds.slice(1).flat()).toEqual([0, 0, 0, 0, 0, 0]);

    const fired = await db
      .selectFrom('deadlines')
      .select(['id', 'fired_at'])
      .where(
        'id',
        'in',
        armed.map((d) => d.id),
      )
      .execute();
    expect(fired.filter((d) => d.fired_at === null)).toEqual([]);
    // The firing effect, once per ticket: standby equipment required, audited by the system.
    const standby = await db
      .selectFrom('audit_log')
      .select(['entity_id', 'from_state', 'to_state', 'actor'])
      .where('entity_kind', '=', 'rma')
      .where('action', '=', 'standby')
      .orderBy('entity_id')
      .execute();
    expect(standby).toEqual(
      [...ids].sort((a, b) => a - b).map((id) => ({ entity_id: id, from_state: 'none', to_state: 'required', actor: 'system' })),
    );
    const v = await api(nodes[2]!, 'GET', `/tickets/${ids[0]}`);
    expect(v.ticket.standby).toMatchObject({ state: 'required', requiredAt: now });
  }, 120_000);
});

describe('triage on a cluster of three nodes', () => {
  it('decides a fault queued on all three nodes at once exactly once, opening one ticket', async () => {
    const serial = 'MTB25ONCEF0001';
    const deviceId = await deviceOf(serial);
    const [faultId] = await storeFaults(deviceId, 'RADIO_MODULE_DEAD', 1, 'f-once');
    const resumed = await Promise.all(nodes.map((n) => n.app.afterSales.diagnostics.resume()));
    expect(resumed).toEqual([1, 1, 1]);
    await allIdle();

    const decisions = await decisionsOf(deviceId);
    const tickets = await ticketsOf(serial);
    expect(tickets).toHaveLength(1);
    expect(decisions).toEqual([{ source_id: faultId, action: 'open-rma', target_kind: 'ticket', target_id: tickets[0]!.id }]);
    const untriaged = await nodes[0]!.app.db.selectFrom('faults').select('id').where('triaged_at', 'is', null).execute();
    expect(untriaged).toEqual([]);
  });

  it('decides a burst of 20 faults of one box queued on all three nodes once each, with one ticket for the box', async () => {
    const serial = 'MTB25ONCEF0002';
    const deviceId = await deviceOf(serial);
    const faultIds = await storeFaults(deviceId, 'RADIO_MODULE_DEAD', BURST, 'f-burst');
    // Every node gets every fault, each starting at a different one.
    nodes.forEach((n, i) => {
      const shift = Math.floor((i * BURST) / nodes.length);
      for (const id of [...faultIds.slice(shift), ...faultIds.slice(0, shift)]) n.app.afterSales.diagnostics.enqueue('fault', id);
    });
    await allIdle();

    const tickets = await ticketsOf(serial);
    expect(tickets).toHaveLength(1);
    await expectOneTarget(deviceId, faultIds, 'open-rma', tickets[0]!.id);
  });

  it('decides 20 faults of one box split over the three nodes with one ticket for the box', async () => {
    const serial = 'MTB25ONCEF0003';
    const deviceId = await deviceOf(serial);
    const faultIds = await storeFaults(deviceId, 'RADIO_MODULE_DEAD', BURST, 'f-split');
    // Different faults of one box decided on different nodes at once: each node alone would see no ticket yet.
    faultIds.forEach((id, k) => nodes[k % nodes.length]!.app.afterSales.diagnostics.enqueue('fault', id));
    await allIdle();

    const tickets = await ticketsOf(serial);
    expect(tickets).toHaveLength(1);
    await expectOneTarget(deviceId, faultIds, 'open-rma', tickets[0]!.id);
  });

  it('decides 20 faults of one box split over the three nodes with one remote case for the box', async () => {
    const serial = 'MTB25ONCEF0004';
    const deviceId = await deviceOf(serial);
    const faultIds = await storeFaults(deviceId, 'PLC_LINK_DOWN', BURST, 'f-case', 'error');
    faultIds.forEach((id, k) => nodes[k % nodes.length]!.app.afterSales.diagnostics.enqueue('fault', id));
    await allIdle();

    const cases = await nodes[0]!.app.db.selectFrom('remote_cases').select(['id', 'data']).where('device_id', '=', deviceId).execute();
    expect(cases).toHaveLength(1);
    expect(JSON.parse(cases[0]!.data)).toMatchObject({ faultCount: BURST });
    await expectOneTarget(deviceId, faultIds, 'open-case', cases[0]!.id);
  });

  it('opens one fleet incident when the boxes of one model and firmware fail on different nodes at once', async () => {
    const boxes = 12;
    const devices: number[] = [];
    for (let i = 0; i < boxes; i++) devices.push(await deviceOf(`MTB25ONCEG${String(i).padStart(4, '0')}`, '3.1.4'));
    const faultIds: number[] = [];
    for (const [i, d] of devices.entries()) faultIds.push(...(await storeFaults(d, 'PLC_LINK_DOWN', 1, `f-fleet-${i}`, 'error')));
    faultIds.forEach((id, k) => nodes[k % nodes.length]!.app.afterSales.diagnostics.enqueue('fault', id));
    await allIdle();

    const { db } = nodes[0]!.app;
    const incidents = await db
      .selectFrom('fleet_incidents')
      .select('id')
      .where('code', '=', 'PLC_LINK_DOWN')
      .where('model', '=', 'MT-BOX-4G')
      .where('firmware', '=', '3.1.4')
      .execute();
    expect(incidents).toHaveLength(1);
    const decisions = await db
      .selectFrom('triage_decisions')
      .select(['action'])
      .where('source', '=', 'fault')
      .where('source_id', 'in', faultIds)
      .execute();
    expect(decisions).toHaveLength(boxes);
    expect(decisions.filter((d) => d.action === 'open-incident')).toHaveLength(1);
    const members = await db
      .selectFrom('incident_devices')
      .select('device_id')
      .where('incident_id', '=', incidents[0]!.id)
      .orderBy('device_id')
      .execute();
    expect(members.map((m) => m.device_id)).toEqual(devices);
  });
});
