import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole as Role } from '../services/kernel/roles.ts';
import type { CommandActor, CommandInput, CommandOutcome, CommandPort } from '../services/edge/commands/domain/command-port.ts';
import type { ParamSet, ParamValue } from '../services/contract/payloads.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { waitFor } from './helpers/wait-for.ts';
import { roleCalls } from './helpers/role-calls.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Parameter backups through the HTTP API: real SQLite, real sockets. The boxes are stood in
 * for by BoxStandIn below, behind the same CommandPort the command service implements; the
 * MQTT transport and chunking are tested with the command service and the device simulator.
 */

type Failure = 'timed-out' | 'offline' | 'not-a-parameter-set';

interface StandInBox {
  params: ParamSet;
  /** Refused by params.set with this reason, like the firmware's factory-written values. */
  refuse: Record<string, string>;
  /** How the next params.get calls fail, until cleared. */
  getFails: Failure | null;
  /** When set, params.get waits for it: a slow link. */
  gate: Promise<void> | null;
}

/**
 * Stands in for MT-BOX firmware: an in-memory parameter map answering params.get and
 * params.set as docs/protocol.md says the box does. params.set is atomic, and unknown names
 * are refused like invalid values.
 */
class BoxStandIn implements CommandPort {
  readonly boxes = new Map<string, StandInBox>();
  readonly sent: Array<{ serial: string; name: string; args: Record<string, unknown>; by: string }> = [];
  private seq = 0;

  add(serial: string, params: ParamSet, refuse: Record<string, string> = {}): StandInBox {
    const box: StandInBox = { params: { ...params }, refuse, getFails: null, gate: null };
    this.boxes.set(serial, box);
    return box;
  }

  async send(serial: string, input: CommandInput, actor: CommandActor): Promise<CommandOutcome> {
    const id = `cmd-${++this.seq}`;
    const args = input.args ?? {};
    this.sent.push({ serial, name: input.name, args, by: actor.username });
    const box = this.boxes.get(serial);
    if (!box) return { id, status: 'offline' };
    if (input.name === 'params.get') {
      await box.gate;
      if (box.getFails === 'not-a-parameter-set') return { id, status: 'succeeded', result: { 'plc.baud': [9600] } };
      if (box.getFails) return { id, status: box.getFails };
      return { id, status: 'succeeded', result: { ...box.params } };
    }
    if (input.name === 'params.set') {
      const changes = (args as { changes: Record<string, ParamValue> }).changes;
      const refused: Record<string, string> = {};
      for (const name of Object.keys(changes)) {
        if (!(name in box.params)) refused[name] = 'unknown parameter';
        else if (box.refuse[name]) refused[name] = box.refuse[name]!;
      }
      if (Object.keys(refused).length > 0) {
        return { id, status: 'failed', error: { code: 'params-refused', message: 'parameters refused', details: { refused } } };
      }
      Object.assign(box.params, changes);
      return { id, status: 'succeeded', result: { applied: Object.keys(changes).length } };
    }
    return { id, status: 'failed', error: { code: 'unknown-command', message: input.name } };
  }
}

const FACTORY: ParamSet = {
  'network.apn': 'cmiot',
  'network.imei': '861234050000001',
  'plc.protocol': 'modbus-rtu',
  'plc.baud': 9600,
  'plc.parity': 'none',
  'points.count': 4,
  'report.intervalSec': 30,
  'alarm.enabled': true,
};

let api: ApiFixture;
const boxes = new BoxStandIn();
let nextSerial = 1;

const { call, ok } = roleCalls(() => api);

/** Registers a box and puts its stand-in online with these parameters. */
async function box(opts: { model?: string; firmware?: string; params?: ParamSet; refuse?: Record<string, string> } = {}) {
  const serial = `MTB25060${String(nextSerial++).padStart(5, '0')}`;
  await ok('admin', 'POST', '/api/devices', { serial, model: opts.model ?? 'MT-BOX-4G', firmware: opts.firmware ?? '2.4.1' }, 201);
  const standIn = boxes.add(serial, opts.params ?? FACTORY, opts.refuse);
  return { serial, standIn };
}

const backup = (serial: string, body: Record<string, unknown> = {}, role: Role = 'technician') =>
  call(role, 'POST', `/api/devices/${serial}/backups`, body);
const restore = (serial: string, body: Record<string, unknown>, role: Role = 'technician') =>
  call(role, 'POST', `/api/devices/${serial}/restore`, body);
const snapshotCount = async (serial: string) => (await ok('technician', 'GET', `/api/devices/${serial}/backups`)).length as number;

beforeAll(async () => {
  // Sessions must outlast the day the clock is moved forward for automatic backups.
  api = await startApiFixture({ SESSION_TTL_H: '8760' }, { commands: boxes });
});
afterAll(() => api.close());

describe('taking a backup', () => {
  it('stores the whole parameter set with its canonical hash, size, model and firmware', async () => {
    const { serial } = await box();
    const r = await backup(serial, { note: 'commissioning done' });
    expect(r.status).toBe(201);
    const canonical = JSON.stringify(Object.fromEntries(Object.entries(FACTORY).sort(([a], [b]) => (a < b ? -1 : 1))));
    expect(r.body).toEqual({
      id: expect.any(Number),
      serial,
      hash: createHash('sha256').update(canonical).digest('hex'),
      size: Buffer.byteLength(canonical),
      count: 8,
      model: 'MT-BOX-4G',
      firmware: '2.4.1',
      reason: 'manual',
      note: 'commissioning done',
      ticketId: null,
      createdBy: 'technician-user',
      createdAt: api.now(),
      deduplicated: false,
    });
    const detail = await ok('after-sales', 'GET', `/api/backups/${r.body.id}`);
    expect(detail.params).toEqual(FACTORY);
    expect(boxes.sent.at(-1)).toMatchObject({ serial, name: 'params.get', args: {} });
  });

  it('answers the newest snapshot instead of storing an identical one', async () => {
    const { serial, standIn } = await box();
    const first = (await backup(serial)).body;
    api.advance(60_000);
    const second = await backup(serial, { note: 'again' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ id: first.id, hash: first.hash, createdAt: first.createdAt, deduplicated: true });
    expect(await snapshotCount(serial)).toBe(1);

    // Back to an older set is a change from the newest one, so it is stored again.
    standIn.params['plc.baud'] = 19200;
    const third = (await backup(serial)).body;
    standIn.params['plc.baud'] = 9600;
    const fourth = (await backup(serial)).body;
    expect([third.deduplicated, fourth.deduplicated]).toEqual([false, false]);
    expect(fourth.hash).toBe(first.hash);
    expect(await snapshotCount(serial)).toBe(3);
  });

  it.each([
    ['timed-out', 'params.get timed-out'],
    ['offline', 'params.get offline'],
    ['not-a-parameter-set', 'the answer is not a parameter set'],
  ] as const)('fails with BACKUP_FAILED and stores nothing when params.get is %s', async (failure, problem) => {
    const { serial, standIn } = await box();
    standIn.getFails = failure;
    const r = await backup(serial);
    expect(r.status).toBe(502);
    expect(r.body).toEqual({
      error: 'BACKUP_FAILED',
      message: ERROR_MESSAGES.BACKUP_FAILED.en,
      details: { serial, problem, command: { id: expect.any(String), status: failure === 'not-a-parameter-set' ? 'succeeded' : failure } },
    });
    expect(await snapshotCount(serial)).toBe(0);
  });

  it('answers DEVICE_NOT_FOUND for a box that is not registered', async () => {
    const r = await backup('MTB9999999999');
    expect(r).toEqual({
      status: 404,
      body: { error: 'DEVICE_NOT_FOUND', message: ERROR_MESSAGES.DEVICE_NOT_FOUND.en, details: { serial: 'MTB9999999999' } },
    });
  });

  it('lists snapshots newest first without their parameters', async () => {
    const { serial, standIn } = await box();
    const a = (await backup(serial)).body;
    standIn.params['report.intervalSec'] = 10;
    const b = (await backup(serial, { reason: 'rma-opened' })).body;
    const list = await ok('after-sales', 'GET', `/api/devices/${serial}/backups`);
    expect(list.map((s: Record<string, unknown>) => [s.id, s.reason])).toEqual([
      [b.id, 'rma-opened'],
      [a.id, 'manual'],
    ]);
    expect(list[0]).not.toHaveProperty('params');
  });

  it('refuses the reasons the backend sets itself', async () => {
    const { serial } = await box();
    const r = await backup(serial, { reason: 'before-restore' });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('VALIDATION_FAILED');
  });

  it('keeps snapshots immutable in the database itself', async () => {
    const { serial } = await box();
    const { id } = (await backup(serial)).body;
    await expect(api.db.updateTable('parameter_snapshots').set({ note: 'edited' }).where('id', '=', id).execute()).rejects.toThrow(/immutable/);
    await expect(api.db.deleteFrom('parameter_snapshots').where('id', '=', id).execute()).rejects.toThrow(/immutable/);
  });
});

describe('diff and restore', () => {
  it('shows exactly what changed on the box, restores it and verifies by reading back', async () => {
    const { serial, standIn } = await box();
    const good = (await backup(serial, { note: 'known good' })).body;

    // Someone changes the PLC link and the report interval on site.
    standIn.params['plc.baud'] = 19200;
    standIn.params['plc.parity'] = 'even';
    standIn.params['report.intervalSec'] = 5;
    const live = await ok('engineer', 'GET', `/api/backups/${good.id}/diff/live`);
    const changed = {
      'plc.baud': { from: 9600, to: 19200 },
      'plc.parity': { from: 'none', to: 'even' },
      'report.intervalSec': { from: 30, to: 5 },
    };
    expect(live).toEqual({
      added: {},
      removed: {},
      changed,
      byGroup: {
        plc: {
          added: {},
          removed: {},
          changed: { 'plc.baud': changed['plc.baud'], 'plc.parity': changed['plc.parity'] },
          counts: { added: 0, removed: 0, changed: 2 },
        },
        report: {
          added: {},
          removed: {},
          changed: { 'report.intervalSec': changed['report.intervalSec'] },
          counts: { added: 0, removed: 0, changed: 1 },
        },
      },
      serial,
      readAt: api.now(),
    });

    const broken = (await backup(serial)).body;
    const diff = await ok('after-sales', 'GET', `/api/backups/${good.id}/diff/${broken.id}`);
    expect({ added: diff.added, removed: diff.removed, changed: diff.changed }).toEqual({ added: {}, removed: {}, changed });

    const sentBefore = boxes.sent.length;
    const r = await ok('technician', 'POST', `/api/devices/${serial}/restore`, { backupId: good.id });
    expect(r).toEqual({
      verified: true,
      mismatches: {},
      applied: ['plc.baud', 'plc.parity', 'report.intervalSec'],
      refused: {},
      notOnBox: [],
      skipped: [],
      backupId: good.id,
      // The box still held what `broken` recorded, so the before-restore snapshot is that one.
      beforeRestoreSnapshotId: broken.id,
      compatibility: { forced: [], notes: [] },
      write: { status: 'succeeded' },
    });
    expect(standIn.params).toEqual(FACTORY);
    // Only the differing parameters are written, between two full reads.
    expect(boxes.sent.slice(sentBefore).map((c) => c.name)).toEqual(['params.get', 'params.set', 'params.get']);
    expect(boxes.sent[sentBefore + 1]!.args).toEqual({ changes: { 'plc.baud': 9600, 'plc.parity': 'none', 'report.intervalSec': 30 } });
    expect((await ok('engineer', 'GET', `/api/backups/${good.id}/diff/live`)).changed).toEqual({});
  });

  it('takes a before-restore snapshot of what the box holds before writing', async () => {
    const { serial, standIn } = await box();
    const good = (await backup(serial)).body;
    standIn.params['alarm.enabled'] = false;
    const r = await ok('technician', 'POST', `/api/devices/${serial}/restore`, { backupId: good.id });
    const before = await ok('technician', 'GET', `/api/backups/${r.beforeRestoreSnapshotId}`);
    expect(before).toMatchObject({ reason: 'before-restore', note: `before restoring snapshot ${good.id}`, createdBy: 'technician-user' });
    expect(before.params['alarm.enabled']).toBe(false);
  });

  it('sends nothing when the box already holds the snapshot', async () => {
    const { serial } = await box();
    const good = (await backup(serial)).body;
    const r = await ok('admin', 'POST', `/api/devices/${serial}/restore`, { backupId: good.id });
    expect(r).toMatchObject({ verified: true, applied: [], write: null, beforeRestoreSnapshotId: good.id });
  });

  it('refuses a snapshot of another model with the reason, and restores it when forced', async () => {
    const source = await box({ model: 'MT-BOX-S1' });
    const snapshot = (await backup(source.serial)).body;
    const target = await box({ model: 'MT-BOX-4G', params: { ...FACTORY, 'plc.baud': 115200 } });

    const refused = await restore(target.serial, { backupId: snapshot.id });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: 'RESTORE_INCOMPATIBLE',
      message: ERROR_MESSAGES.RESTORE_INCOMPATIBLE.en,
      details: {
        reasons: ['the snapshot was taken on a MT-BOX-S1 and this box is a MT-BOX-4G: parameter names and ranges differ between models'],
        snapshot: { id: snapshot.id, serial: source.serial, model: 'MT-BOX-S1', firmware: '2.4.1' },
        box: { serial: target.serial, model: 'MT-BOX-4G', firmware: '2.4.1' },
      },
    });
    expect(target.standIn.params['plc.baud']).toBe(115200);
    expect(await snapshotCount(target.serial)).toBe(0);

    const forced = await ok('admin', 'POST', `/api/devices/${target.serial}/restore`, { backupId: snapshot.id, force: true });
    expect(forced).toMatchObject({ verified: true, applied: ['plc.baud'], compatibility: { forced: refused.body.details.reasons, notes: [] } });
    expect(target.standIn.params['plc.baud']).toBe(9600);
  });

  it('refuses another major firmware version, judged on what the box reports now', async () => {
    const { serial } = await box({ firmware: '2.4.1' });
    const snapshot = (await backup(serial)).body;
    // The box was upgraded in the field; its status message said so.
    const device = await api.registry.findBySerial(serial);
    api.shadows.status(device!.id, { state: 'online', fw: '3.0.0' }, api.now());
    const r = await restore(serial, { backupId: snapshot.id });
    expect(r.status).toBe(409);
    expect(r.body.details.reasons).toEqual([expect.stringContaining('firmware 2.4.1 and this box runs 3.0.0')]);
  });

  it('names the parameter a box refuses, applies nothing else, and verifies once it is skipped', async () => {
    const source = await box();
    const snapshot = (await backup(source.serial)).body;
    // A replacement unit of the same model: its IMEI is written at the factory.
    const replacement = await box({
      params: { ...FACTORY, 'network.imei': '861234050000999', 'plc.baud': 19200 },
      refuse: { 'network.imei': 'read-only' },
    });

    const r = await ok('technician', 'POST', `/api/devices/${replacement.serial}/restore`, { backupId: snapshot.id });
    expect(r).toMatchObject({
      verified: false,
      applied: [],
      refused: { 'network.imei': 'read-only' },
      mismatches: {
        'network.imei': { expected: '861234050000001', actual: '861234050000999', reason: 'read-only' },
        'plc.baud': { expected: 9600, actual: 19200, reason: 'not applied: params.set is all or nothing and the box refused 1 parameter(s)' },
      },
      write: { status: 'failed', error: { code: 'params-refused' } },
    });
    expect(Object.keys(r.mismatches)).toEqual(['network.imei', 'plc.baud']);

    const again = await ok('technician', 'POST', `/api/devices/${replacement.serial}/restore`, { backupId: snapshot.id, skip: ['network.imei'] });
    expect(again).toMatchObject({ verified: true, mismatches: {}, applied: ['plc.baud'], skipped: ['network.imei'] });
    expect(replacement.standIn.params['network.imei']).toBe('861234050000999');
  });

  it('reports snapshot parameters the box does not have as mismatches with actual null, without sending them', async () => {
    const source = await box();
    const snapshot = (await backup(source.serial)).body;
    const { 'points.count': _, ...older } = FACTORY;
    const target = await box({ firmware: '2.3.0', params: { ...older, 'report.intervalSec': 60 } });

    const r = await ok('technician', 'POST', `/api/devices/${target.serial}/restore`, { backupId: snapshot.id });
    expect(r).toMatchObject({
      verified: false,
      applied: ['report.intervalSec'],
      notOnBox: ['points.count'],
      mismatches: { 'points.count': { expected: 4, actual: null, reason: 'the box has no such parameter, so it was not sent' } },
      compatibility: { forced: [], notes: [expect.stringContaining('2.4.1 → 2.3.0')] },
    });
    expect(boxes.sent.filter((c) => c.serial === target.serial && c.name === 'params.set').map((c) => c.args)).toEqual([
      { changes: { 'report.intervalSec': 30 } },
    ]);
  });

  it('does not write when the before-restore backup cannot be taken', async () => {
    const { serial, standIn } = await box();
    const good = (await backup(serial)).body;
    standIn.getFails = 'timed-out';
    const r = await restore(serial, { backupId: good.id });
    expect(r.status).toBe(502);
    expect(r.body.error).toBe('BACKUP_FAILED');
    expect(boxes.sent.filter((c) => c.serial === serial && c.name === 'params.set')).toEqual([]);
  });

  it('refuses a second restore to a box while the first is running', async () => {
    const { serial, standIn } = await box();
    const good = (await backup(serial)).body;
    let release!: () => void;
    standIn.gate = new Promise<void>((resolve) => (release = resolve));
    const sent = boxes.sent.length;
    const first = restore(serial, { backupId: good.id });
    await waitFor(() => boxes.sent.slice(sent).some((c) => c.serial === serial), { what: 'the first restore to read the box' });
    expect(await restore(serial, { backupId: good.id }, 'engineer')).toEqual({
      status: 409,
      body: { error: 'RESTORE_IN_PROGRESS', message: ERROR_MESSAGES.RESTORE_IN_PROGRESS.en, details: { serial } },
    });
    release();
    expect((await first).body.verified).toBe(true);
  });

  it('answers BACKUP_NOT_FOUND for an unknown snapshot', async () => {
    const { serial } = await box();
    expect(await call('technician', 'GET', '/api/backups/999999')).toEqual({
      status: 404,
      body: { error: 'BACKUP_NOT_FOUND', message: ERROR_MESSAGES.BACKUP_NOT_FOUND.en, details: { id: 999999 } },
    });
    expect((await restore(serial, { backupId: 999999 })).body.error).toBe('BACKUP_NOT_FOUND');
    expect((await call('technician', 'GET', '/api/backups/999999/diff/1')).status).toBe(404);
  });

  it('compares a snapshot with another box when asked', async () => {
    const a = await box();
    const snapshot = (await backup(a.serial)).body;
    const b = await box({ params: { ...FACTORY, 'network.apn': 'cmnet' } });
    const live = await ok('after-sales', 'GET', `/api/backups/${snapshot.id}/diff/live?sn=${b.serial}`);
    expect(live).toMatchObject({ serial: b.serial, changed: { 'network.apn': { from: 'cmiot', to: 'cmnet' } }, added: {}, removed: {} });
  });

  it('answers PARAMS_READ_FAILED when the box cannot be read for a live diff', async () => {
    const { serial, standIn } = await box();
    const snapshot = (await backup(serial)).body;
    standIn.getFails = 'offline';
    const r = await call('engineer', 'GET', `/api/backups/${snapshot.id}/diff/live`);
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({
      error: 'PARAMS_READ_FAILED',
      message: ERROR_MESSAGES.PARAMS_READ_FAILED.en,
      details: { serial, command: { status: 'offline' } },
    });
  });
});

describe('restore check', () => {
  it('answers the verdict and what a restore would write, reading the box and writing nothing', async () => {
    const { serial, standIn } = await box();
    const good = (await backup(serial)).body;
    standIn.params['plc.baud'] = 19200;
    const sent = boxes.sent.length;
    const snapshots = await snapshotCount(serial);

    const check = await ok('after-sales', 'GET', `/api/backups/${good.id}/restore-check`);
    expect(check).toEqual({
      backupId: good.id,
      serial,
      readAt: api.now(),
      snapshot: { serial, model: 'MT-BOX-4G', firmware: '2.4.1' },
      box: { model: 'MT-BOX-4G', firmware: '2.4.1' },
      compatibility: { allowed: true, reasons: [], notes: [] },
      added: {},
      removed: {},
      changed: { 'plc.baud': { from: 19200, to: 9600 } },
      byGroup: {
        plc: { added: {}, removed: {}, changed: { 'plc.baud': { from: 19200, to: 9600 } }, counts: { added: 0, removed: 0, changed: 1 } },
      },
      unchanged: Object.keys(FACTORY).length - 1,
    });
    expect(boxes.sent.slice(sent).map((c) => c.name)).toEqual(['params.get']);
    expect(standIn.params['plc.baud']).toBe(19200);
    expect(await snapshotCount(serial)).toBe(snapshots);
  });

  it('names every reason a restore onto another box would be refused, and what that box lacks', async () => {
    const source = await box({ model: 'MT-BOX-S1' });
    const snapshot = (await backup(source.serial)).body;
    const { 'points.count': _, ...older } = FACTORY;
    const target = await box({ firmware: '3.0.0', params: { ...older, 'network.mac': '02:00:00:00:00:01' } });

    const check = await ok('technician', 'GET', `/api/backups/${snapshot.id}/restore-check?sn=${target.serial}`);
    expect(check).toMatchObject({
      serial: target.serial,
      snapshot: { serial: source.serial, model: 'MT-BOX-S1', firmware: '2.4.1' },
      box: { model: 'MT-BOX-4G', firmware: '3.0.0' },
      compatibility: {
        allowed: false,
        reasons: [
          expect.stringContaining('MT-BOX-S1 and this box is a MT-BOX-4G'),
          expect.stringContaining('firmware 2.4.1 and this box runs 3.0.0'),
        ],
        notes: [],
      },
      changed: {},
      added: { 'points.count': 4 },
      removed: { 'network.mac': '02:00:00:00:00:01' },
      unchanged: Object.keys(FACTORY).length - 1,
    });
    // The same reasons the restore itself refuses with.
    const refused = await restore(target.serial, { backupId: snapshot.id });
    expect(refused.body.details.reasons).toEqual(check.compatibility.reasons);
  });

  it('answers PARAMS_READ_FAILED when the box cannot be read, and 404 for an unknown snapshot or box', async () => {
    const { serial, standIn } = await box();
    const snapshot = (await backup(serial)).body;
    standIn.getFails = 'offline';
    const r = await call('technician', 'GET', `/api/backups/${snapshot.id}/restore-check`);
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({
      error: 'PARAMS_READ_FAILED',
      message: ERROR_MESSAGES.PARAMS_READ_FAILED.en,
      details: { serial, command: { status: 'offline' } },
    });
    expect((await call('technician', 'GET', '/api/backups/999999/restore-check')).body.error).toBe('BACKUP_NOT_FOUND');
    expect((await call('technician', 'GET', `/api/backups/${snapshot.id}/restore-check?sn=MTB9999999999`)).body.error).toBe('DEVICE_NOT_FOUND');
  });
});

describe('automatic backups', () => {
  it('backs up connected boxes not backed up within the interval, once per interval', async () => {
    const online = await box();
    const offline = await box();
    const recent = await box();
    await backup(recent.serial);
    for (const b of [online, recent]) api.shadows.connected((await api.registry.findBySerial(b.serial))!.id, '10.0.0.7', api.now());
    const params = api.afterSales.deps.params;
    const HOUR = 3_600_000;

    const first = await params.scheduleDue(api.now(), { maxAgeMs: 24 * HOUR });
    expect(first).toMatchObject({ stored: 1, deduplicated: 0, failed: [] });
    expect((await ok('technician', 'GET', `/api/devices/${online.serial}/backups`))[0]).toMatchObject({
      reason: 'schedule',
      createdBy: 'backup-schedule',
    });
    expect(await snapshotCount(offline.serial)).toBe(0);
    expect((await params.scheduleDue(api.now(), { maxAgeMs: 24 * HOUR })).due).toBe(0);

    // A day later nothing changed: both are read again, and no snapshot is added.
    api.advance(24 * HOUR);
    const later = await params.scheduleDue(api.now(), { maxAgeMs: 24 * HOUR });
    expect(later).toMatchObject({ stored: 0, deduplicated: 2, failed: [] });
    expect(await snapshotCount(online.serial)).toBe(1);
    expect((await params.scheduleDue(api.now(), { maxAgeMs: 24 * HOUR })).due).toBe(0);
  });
});

describe('backup before a parameter change', () => {
  it('stores a before-params-set snapshot for the command path', async () => {
    const { serial } = await box();
    const s = await api.afterSales.deps.params.backupBeforeParamsSet(serial, { username: 'eng-li', role: 'engineer' });
    expect(s).toMatchObject({ serial, reason: 'before-params-set', createdBy: 'eng-li', deduplicated: false });
  });

  it('fails with the command API code when the box cannot be read, storing nothing', async () => {
    const { serial, standIn } = await box();
    standIn.getFails = 'timed-out';
    await expect(api.afterSales.deps.params.backupBeforeParamsSet(serial, { username: 'eng-li', role: 'engineer' })).rejects.toMatchObject({
      code: 'BACKUP_BEFORE_CHANGE_FAILED',
      details: { serial, command: { status: 'timed-out' } },
    });
    expect(await snapshotCount(serial)).toBe(0);
  });
});

describe('roles', () => {
  it('lets every role read backups and only admins, engineers and technicians take or restore them', async () => {
    const { serial } = await box();
    const { id } = (await backup(serial)).body;
    for (const role of ['admin', 'engineer', 'after-sales', 'technician'] as const) {
      expect((await call(role, 'GET', `/api/devices/${serial}/backups`)).status).toBe(200);
      expect((await call(role, 'GET', `/api/backups/${id}`)).status).toBe(200);
      expect((await call(role, 'GET', `/api/backups/${id}/diff/${id}`)).status).toBe(200);
    }
    for (const role of ['admin', 'engineer', 'technician'] as const) expect((await backup(serial, {}, role)).status).toBe(201);
    expect((await backup(serial, {}, 'after-sales')).body.error).toBe('FORBIDDEN');
    expect((await restore(serial, { backupId: id }, 'after-sales')).body.error).toBe('FORBIDDEN');
    expect((await restore(serial, { backupId: id }, 'engineer')).status).toBe(200);
  });
});
