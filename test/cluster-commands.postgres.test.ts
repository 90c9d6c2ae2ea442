import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/index.ts';
import { connectBox, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { type EngineServer, startRedis } from './helpers/engines.ts';
import { testDatabaseEnv } from './helpers/test-database.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * Two nodes of one cluster (issue 15): one PostgreSQL database, one Redis, two whole backends
 * on their own ports. A box connects to node A; an engineer works through node B.
 */

describe('commands across the nodes of a cluster', () => {
  let redis: EngineServer;
  let a: TestBackend;
  let b: TestBackend;
  let box: SimBox;
  const SERIAL = 'MTB26CLUSTER1';

  beforeAll(async () => {
    redis = await startRedis();
    const shared = { ...(await testDatabaseEnv()), REDIS_URL: redis.url };
    a = await startTestBackend(shared);
    b = await startTestBackend(shared);
    const [cred] = await b.app.provision([SERIAL]);
    box = new SimBox({ serial: SERIAL, secret: cred!.secret, mqttUrl: a.mqttUrl, model: 'MT-BOX-X4', firmware: '2.4.1' });
    box.start();
    await box.waitOnline();
  });
  afterAll(async () => {
    await box?.stop({ graceful: false });
    await a?.stop();
    await b?.stop();
    await redis?.remove();
  });

  async function commandThrough(node: TestBackend, body: unknown) {
    const res = await fetch(`${node.api}/devices/${SERIAL}/commands`, {
      method: 'POST',
      headers: { ...(await node.adminHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { id: string; status: string; result?: unknown };
  }

  async function onlineThrough(node: TestBackend): Promise<boolean> {
    const res = await fetch(`${node.api}/devices/${SERIAL}`, { headers: await node.adminHeaders() });
    return ((await res.json()) as { presence: { online: boolean } }).presence.online;
  }

  it('shows the box online on the node it is not connected to', async () => {
    expect(await waitFor(() => onlineThrough(b), { timeoutMs: 10_000, what: 'node B to see the box online' })).toBe(true);
    expect(await onlineThrough(a)).toBe(true);
  });

  it('sends a command through node B to the box on node A and answers it on B', async () => {
    const out = await commandThrough(b, { name: 'ping' });
    expect(out).toMatchObject({ status: 'succeeded', result: { fw: '2.4.1' } });
  });

  it('reassembles a chunked params.get answered on node A for the caller on node B', async () => {
    const out = await commandThrough(b, { name: 'params.get' });
    expect(out.status).toBe('succeeded');
    expect(out.result).toEqual(box.params());
    expect(JSON.stringify(out.result).length).toBeGreaterThan(3 * 16 * 1024);
  });

  it('feeds a session opened through node B with the messages of its box on node A', async () => {
    const headers = { ...(await b.adminHeaders()), 'content-type': 'application/json' };
    const opened = await fetch(`${b.api}/sessions`, { method: 'POST', headers, body: JSON.stringify({ serial: SERIAL }) });
    expect(opened.status).toBe(201);
    const { id, state } = (await opened.json()) as { id: number; state: string };
    if (state === 'queued') expect((await fetch(`${b.api}/sessions/${id}/start`, { method: 'POST', headers })).status).toBe(200);
    const fault = async () => {
      box.raiseFault({ code: 'PLC_LINK_DOWN', severity: 'warning' });
      const res = await fetch(`${b.api}/sessions/${id}?limit=500`, { headers });
      const detail = (await res.json()) as { timeline: Array<{ kind: string; author: { kind: string } }> };
      return detail.timeline.some((e) => e.kind === 'fault' && e.author.kind === 'box');
    };
    await waitFor(fault, { timeoutMs: 10_000, what: "the box's fault on the session's timeline" });
    const ended = await fetch(`${b.api}/sessions/${id}/outcome`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ outcome: 'resolved-remotely', reason: 'fixed remotely in a cluster test' }),
    });
    expect(ended.status).toBe(200);
  });

  it("ends a box's connection on node A when its secret is rotated through node B", async () => {
    const [cred] = await b.app.provision(['MTB26CLUSTER2']);
    const other = await connectBox(a.mqttUrl, 'MTB26CLUSTER2', cred!.secret);
    let closed = false;
    other.once('close', () => {
      closed = true;
    });
    const res = await fetch(`${b.api}/devices/MTB26CLUSTER2/secret`, { method: 'POST', headers: await b.adminHeaders() });
    expect(res.status).toBe(200);
    await waitFor(() => closed, { timeoutMs: 10_000, what: 'node A to end the connection' });
    other.end(true);
  });

  it('counts with a holiday year added through node B on node A at once', async () => {
    const year = { source: 'State Council General Office notice for 2027', holidays: ['2027-01-01'], workdays: [] };
    const res = await fetch(`${b.api}/calendar/years/2027`, {
      method: 'PUT',
      headers: { ...(await b.adminHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify(year),
    });
    expect(res.status).toBe(200);
    const calendarOn = async (node: TestBackend) => {
      const got = await fetch(`${node.api}/calendar`, { headers: await node.adminHeaders() });
      return ((await got.json()) as { years: Array<{ year: number; origin: string }> }).years;
    };
    await waitFor(async () => (await calendarOn(a)).some((y) => y.year === 2027 && y.origin === 'override'), {
      timeoutMs: 10_000,
      what: 'node A to count with the year added through node B',
    });
    expect(a.app.afterSales.deps.calendar.current().isWorkingDay('2027-01-01')).toBe(false);
  });

  it('spends the budget of costly calls once across the nodes', async () => {
    // A request without its CSV is refused after the budget is counted: nothing is imported.
    const importThrough = async (node: TestBackend) => {
      const res = await fetch(`${node.api}/devices/import`, { method: 'POST', headers: await node.adminHeaders() });
      await res.arrayBuffer();
      return res.status;
    };
    // One account's budget is 10 calls (COSTLY_LIMITS), one more every 3 s. Counted per node,
    // calls alternating between two nodes would get 20 through before the first refusal.
    let allowed = 0;
    for (let i = 0; i < 40 && (await importThrough(i % 2 === 0 ? a : b)) !== 429; i++) allowed++;
    expect(allowed).toBeGreaterThanOrEqual(10);
    expect(allowed).toBeLessThan(20);
    expect(await importThrough(a)).toBe(429);
    expect(await importThrough(b)).toBe(429);
  });

  it('shows the box offline on node B once it leaves node A', async () => {
    await box.stop({ graceful: true });
    await waitFor(async () => !(await onlineThrough(b)), { timeoutMs: 10_000, what: 'node B to see the box offline' });
    expect(await commandThrough(b, { name: 'ping' })).toMatchObject({ status: 'offline' });
  });
});
