import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/index.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

/* Parameter backup, diff and restore against simulated boxes over the real broker. */

describe('parameter backup and restore', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;
  const boxes = new Map<string, SimBox>();

  beforeAll(async () => {
    backend = await startTestBackend();
    headers = await backend.adminHeaders();
    const creds = await backend.app.provision(['MTB26PARAM001', 'MTB26PARAM002', 'MTB26PARAM003']);
    const models = ['MT-BOX-P2', 'MT-BOX-X4', 'MT-BOX-P2'];
    for (const [i, c] of creds.entries()) {
      const box = new SimBox({ serial: c.serial, secret: c.secret, mqttUrl: backend.mqttUrl, model: models[i]!, firmware: '2.4.1' });
      box.start();
      await box.waitOnline();
      boxes.set(c.serial, box);
    }
  });
  afterAll(async () => {
    await Promise.all([...boxes.values()].map((b) => b.stop({ graceful: false })));
    await backend.stop();
  });

  // biome-ignore lint/suspicious/noExplicitAny: answers are asserted field by field against literal values
  async function api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(`${backend.api}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as T };
  }

  it('backs up, shows exactly what changed on the box, restores and verifies', async () => {
    const sn = 'MTB26PARAM001';
    const box = boxes.get(sn)!;
    const original = box.params();
    const backup = await api('POST', `/devices/${sn}/backups`, { note: 'before site visit' });
    expect(backup.status).toBe(201);
    expect(backup.json).toMatchObject({
      id: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      size: expect.any(Number),
      model: 'MT-BOX-P2',
      firmware: '2.4.1',
    });

    // A technician on site changes two parameters; a second backup captures that.
    box.setParams({ 'plc.baud': 19200, 'report.intervalSec': 120 });
    const after = await api('POST', `/devices/${sn}/backups`, {});
    const diff = await api('GET', `/backups/${backup.json.id}/diff/${after.json.id}`);
    expect(diff.status).toBe(200);
    expect(diff.json.added).toEqual({});
    expect(diff.json.removed).toEqual({});
    expect(diff.json.changed).toEqual({
      'plc.baud': { from: original['plc.baud'], to: 19200 },
      'report.intervalSec': { from: original['report.intervalSec'], to: 120 },
    });

    const restored = await api('POST', `/devices/${sn}/restore`, { backupId: backup.json.id });
    expect(restored.status).toBe(200);
    expect(restored.json).toMatchObject({ verified: true, mismatches: {} });
    expect(box.params()).toEqual(original);
  });

  it('does not store an identical consecutive backup twice', async () => {
    const sn = 'MTB26PARAM003';
    const first = await api('POST', `/devices/${sn}/backups`, {});
    const second = await api('POST', `/devices/${sn}/backups`, {});
    expect(second.json).toMatchObject({ id: first.json.id, deduplicated: true });
  });

  it('refuses to restore a snapshot of another model unless forced, saying why', async () => {
    const source = await api('POST', `/devices/MTB26PARAM001/backups`, {});
    const refused = await api('POST', `/devices/MTB26PARAM002/restore`, { backupId: source.json.id });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ error: 'RESTORE_INCOMPATIBLE' });
    expect(JSON.stringify(refused.json.details)).toContain('MT-BOX-X4');
  });

  it('takes a parameter backup by itself when an RMA ticket is opened, and the ticket shows it', async () => {
    const sn = 'MTB26PARAM003';
    boxes.get(sn)!.setParams({ 'report.intervalSec': 45 });
    const opened = await api('POST', '/tickets', { serial: sn });
    expect(opened.status).toBe(201);
    const ticket = await waitFor(
      async () => {
        const t = (await api('GET', `/tickets/${opened.json.id}`)).json;
        return t.backup?.snapshotId ? t : null;
      },
      { what: 'the automatic backup on the ticket' },
    );
    const snapshot = await api('GET', `/backups/${ticket.backup.snapshotId}`);
    expect(snapshot.json).toMatchObject({ reason: 'rma-opened', params: expect.objectContaining({ 'report.intervalSec': 45 }) });
    expect(ticket.parameterBackup).toMatchObject({ fresh: true, warning: null, latest: { id: ticket.backup.snapshotId } });
  });

  it('backs up automatically before a params.set command', async () => {
    const sn = 'MTB26PARAM002';
    const before = (await api('GET', `/devices/${sn}/backups`)).json.length;
    const out = await api('POST', `/devices/${sn}/commands`, { name: 'params.set', args: { changes: { 'system.logLevel': 'debug' } } });
    expect(out.json).toMatchObject({ status: 'succeeded' });
    const list = (await api('GET', `/devices/${sn}/backups`)).json;
    expect(list.length).toBe(before + 1);
    expect(list[0]).toMatchObject({ reason: 'before-params-set' });
  });
});
