import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownMigrations } from '../services/platform/db/migrations.ts';
import { ADMIN_PASSWORD, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { FIXTURE_0011 as F } from './fixtures/schema-0011-values.ts';

/*
 * Upgrading from the release before migration 0012: test/fixtures/schema-0011.sqlite was made
 * by that release's own API (test/fixtures/README.md). Today's backend opens a copy, migrates
 * it and serves every row with the values it was made with.
 */

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'schema-0011.sqlite');
const REPAIR_SERIAL = `${F.prefix}00001`;
const SESSION_SERIAL = `${F.prefix}00002`;

describe('upgrading a database made by the schema at migration 0011', () => {
  const dir = tempDir('upgrade-0011-');
  let backend: TestBackend;
  let headers: Record<string, string>;
  const fixtureBytes = readFileSync(FIXTURE);

  // biome-ignore lint/suspicious/noExplicitAny: answers are asserted field by field against the fixture's values
  async function get<T = any>(route: string): Promise<T> {
    const res = await fetch(`${backend.api}${route}`, { headers });
    expect(res.status, route).toBe(200);
    return (await res.json()) as T;
  }

  beforeAll(async () => {
    copyFileSync(FIXTURE, path.join(dir.path, 'mtbox-care.sqlite'));
    backend = await startTestBackend({ DATA_DIR: dir.path });
    headers = await backend.adminHeaders();
  });
  afterAll(async () => {
    await backend.stop();
    dir.remove();
  });

  it('starts on the copy and records every migration of this version, the fixture itself untouched', () => {
    const sqlite = new BetterSqlite3(path.join(dir.path, 'mtbox-care.sqlite'), { readonly: true });
    const applied = sqlite.prepare('select name from kysely_migration order by name').pluck().all();
    sqlite.close();
    expect(applied).toEqual([...knownMigrations].sort());
    expect(applied).toContain('0012_decision_reason_values');
    expect(readFileSync(FIXTURE).equals(fixtureBytes)).toBe(true);
  });

  it('lists the devices with their customers', async () => {
    const { devices } = await get<{ devices: Array<{ serial: string; model: string; customer: { name: string } }> }>('/devices?limit=100');
    expect(devices.map((d) => d.serial).sort()).toEqual(
      [...[1, 2, 3, 4, 5, 6].map((n) => `${F.prefix}${String(n).padStart(5, '0')}`), F.backupBox.serial].sort(),
    );
    expect(devices.find((d) => d.serial === REPAIR_SERIAL)).toMatchObject({ model: 'MT-BOX-4G', customer: { name: F.repairCustomer } });
    expect(devices.find((d) => d.serial === SESSION_SERIAL)).toMatchObject({ customer: { name: 'Plant 2' } });
  });

  it('serves the telemetry, the fault and its triage decision', async () => {
    const { faults } = await get(`/devices/${REPAIR_SERIAL}/faults`);
    expect(faults).toEqual([expect.objectContaining({ ...F.hardwareFault, severity: 'error' })]);
    const faultTs = faults[0].ts as number;
    const telemetry = await get(`/devices/${REPAIR_SERIAL}/telemetry?metric=cpu_temp&from=${faultTs - 21 * 60_000}&to=${faultTs}`);
    // Published as cpu_temp 40 + (i % 5), one a minute, for 20 minutes before the fault.
    expect(telemetry.points.map((p: { value: number }) => p.value)).toEqual(Array.from({ length: F.telemetryRows }, (_, i) => 40 + (i % 5)));
    expect(telemetry.points.at(-1).ts).toBe(faultTs - 60_000);
    const decisions = await get(`/devices/${REPAIR_SERIAL}/decisions`);
    expect(decisions).toEqual([
      expect.objectContaining({ code: F.hardwareFault.code, action: 'open-rma', facts: expect.objectContaining({ faultId: F.hardwareFault.id }) }),
    ]);
    // Decided before 0012 kept the values: the reason stays the English it was said in.
    expect(decisions[0].reason).toContain('an RMA ticket is opened');
  });

  it('serves the repair ticket with its audit trail', async () => {
    const [listed] = await get<Array<{ id: number }>>(`/tickets?serial=${REPAIR_SERIAL}`);
    const view = await get(`/tickets/${listed?.id}`);
    expect(view.ticket).toMatchObject({
      serial: REPAIR_SERIAL,
      state: F.ticketMove.to,
      openedBy: 'diagnostics',
      form: { customerName: F.repairCustomer },
    });
    expect(view.audit).toContainEqual(expect.objectContaining({ actor: 'admin', to: F.ticketMove.to, reason: F.ticketMove.reason }));
  });

  it('serves the ended session with its timeline', async () => {
    const [listed] = await get<Array<{ id: number }>>(`/sessions?serial=${SESSION_SERIAL}`);
    const session = await get(`/sessions/${listed?.id}`);
    expect(session).toMatchObject({ state: 'ended', outcome: F.sessionOutcome.outcome, outcomeReason: F.sessionOutcome.reason, startedBy: 'admin' });
    expect(session.timeline.map((e: { data: { action: string } }) => e.data.action)).toEqual(['opened', 'started', 'ended']);
    expect(session.timeline.at(-1).data).toMatchObject({ outcome: F.sessionOutcome.outcome });
    expect(session.timeline.at(-1).data.text).toContain(F.sessionOutcome.reason);
  });

  it('serves the parameter backup with its parameters', async () => {
    const backups = await get(`/devices/${F.backupBox.serial}/backups`);
    expect(backups).toEqual([expect.objectContaining({ model: F.backupBox.model, note: F.backupBox.note, reason: 'manual', createdBy: 'admin' })]);
    const full = await get(`/backups/${backups[0].id}`);
    expect(full).toMatchObject({ hash: backups[0].hash, firmware: F.backupBox.firmware });
    expect(Object.keys(full.params)).toHaveLength(backups[0].count);
    expect(full.params['alarm.boardTempHigh']).toBe(70);
  });

  it('keeps the accounts: the engineer made before the upgrade signs in with its password', async () => {
    const { users } = await get<{ users: Array<{ username: string; role: string; enabled: boolean }> }>('/users');
    expect(users).toContainEqual(expect.objectContaining({ username: F.user.username, role: F.user.role, enabled: true }));
    for (const [username, password] of [
      [F.user.username, F.user.password],
      ['admin', ADMIN_PASSWORD],
    ]) {
      const res = await fetch(`${backend.api}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      expect(res.status, username).toBe(200);
    }
  });
});
