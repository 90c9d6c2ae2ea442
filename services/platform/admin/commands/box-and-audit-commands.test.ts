import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { topicFor } from '../../../contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from '../../../../test/helpers/backend.ts';
import { waitFor } from '../../../../test/helpers/wait-for.ts';
import { ADMIN_COMMANDS } from '../admin-commands.ts';
import { EXIT, runAdmin } from '../run-admin.ts';
import { adminAuditLines, recordingIo, withDb } from './test-kit.ts';

const SERIAL = 'MTB2411000777';
// Long before the test servers' own audit lines, so a range holds only what the test wrote.
const T0 = Date.UTC(2020, 0, 1, 8, 0);
const HOUR = 3_600_000;

const admin = (argv: string[], dataDir: string, now?: number) => {
  const t = recordingIo({ DATA_DIR: dataDir }, now === undefined ? {} : { now });
  return runAdmin(argv, ADMIN_COMMANDS, t.io).then((code) => ({ code, ...t }));
};

describe('the admin CLI’s box, audit and triage commands', () => {
  let backend: TestBackend | null = null;
  afterEach(async () => {
    await backend?.stop();
    backend = null;
  });

  it('rotates a box secret on a stopped server: the new secret connects, the old one is refused', async () => {
    const b = await startTestBackend();
    backend = b;
    const [{ secret: oldSecret } = { secret: '' }] = await b.app.provision([SERIAL]);
    const live = await admin(['rotate-box-secret', '--serial', SERIAL], b.dataDir);
    expect(live.code).toBe(EXIT.refused);
    await b.app.stop();

    expect((await admin(['rotate-box-secret', '--serial', 'MTB0000000000'], b.dataDir)).code).toBe(EXIT.refused);
    const r = await admin(['rotate-box-secret', '--serial', SERIAL], b.dataDir);
    expect(r.code).toBe(EXIT.ok);
    const newSecret = new RegExp(`secret of ${SERIAL}: (\\S+)`).exec(r.out.join('\n'))?.[1] ?? '';
    expect(newSecret).not.toBe('');
    const [line] = await adminAuditLines(b.dataDir, 'admin.rotate-box-secret');
    const deviceId = await withDb(
      b.dataDir,
      async (db) => (await db.selectFrom('devices').select('id').where('serial', '=', SERIAL).executeTakeFirstOrThrow()).id,
    );
    expect(line).toMatchObject({ entity_kind: 'device', entity_id: deviceId, actor: 'os:ops-tester', data: { serial: SERIAL } });
    expect(JSON.stringify(line)).not.toContain(newSecret);

    await b.restart();
    await expect(connectBox(b.mqttUrl, SERIAL, oldSecret)).rejects.toThrow();
    const box = await connectBox(b.mqttUrl, SERIAL, newSecret);
    await box.endAsync();
  });

  it('exports exactly the audit lines of a time range as CSV to a 0600 file and as JSON lines', async () => {
    const b = await startTestBackend();
    backend = b;
    await b.app.stop();
    // Each run writes one audit line at its clock's time: T0, T0+1h, T0+2h.
    for (const at of [T0, T0 + HOUR, T0 + 2 * HOUR]) expect((await admin(['sessions'], b.dataDir, at)).code).toBe(EXIT.ok);
    const file = path.join(b.dataDir, 'audit.csv');
    const from = new Date(T0 + HOUR).toISOString();
    const to = new Date(T0 + 2 * HOUR).toISOString();

    const csv = await admin(['export-audit', '--from', from, '--to', to, '--format', 'csv', '--output', file], b.dataDir);
    expect(csv.code).toBe(EXIT.ok);
    expect(csv.out).toEqual([`wrote 1 audit line(s) to ${file}`]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      at: from,
      at_ms: String(T0 + HOUR),
      entity_kind: 'system',
      entity_id: '0',
      actor: 'os:ops-tester',
      action: 'admin.sessions',
    });
    expect(JSON.parse(rows[0]?.data ?? '{}')).toMatchObject({ via: 'admin-cli', sessions: 0 });

    // 16:00 in China is 08:00 UTC, T0 + 2h: the same end as `to`, written with its offset.
    const jsonl = await admin(['export-audit', '--from', '2020-01-01', '--to', '2020-01-01T18:00:00+08:00', '--format', 'jsonl'], b.dataDir);
    expect(jsonl.code).toBe(EXIT.ok);
    const lines = jsonl.out.map((l) => JSON.parse(l) as { atMs: number; at: string; action: string });
    expect(lines.map((l) => l.atMs)).toEqual([T0, T0 + HOUR]);
    expect(lines[0]).toMatchObject({ at: new Date(T0).toISOString(), action: 'admin.sessions' });
    const [exportLine] = await adminAuditLines(b.dataDir, 'admin.export-audit');
    expect(exportLine).toMatchObject({ entity_kind: 'system', entity_id: 0, actor: 'os:ops-tester', data: { format: 'csv', rows: 1, from, to } });
  });

  it('refuses bad dates, an empty range and an existing output file, writing nothing', async () => {
    const b = await startTestBackend();
    backend = b;
    await b.app.stop();
    const existing = path.join(b.dataDir, 'keep.csv');
    writeFileSync(existing, 'mine');
    const bad = await admin(['export-audit', '--from', 'yesterday', '--to', '2020-01-02', '--format', 'csv'], b.dataDir);
    expect(bad.code).toBe(EXIT.refused);
    expect(bad.err.join('\n')).toMatch(/--from: "yesterday" is not an ISO date/);
    expect(bad.out).toEqual([]);
    const noOffset = await admin(['export-audit', '--from', '2020-01-01T08:00', '--to', '2020-01-02', '--format', 'csv'], b.dataDir);
    expect(noOffset.code).toBe(EXIT.refused);
    const backwards = await admin(['export-audit', '--from', '2020-01-02', '--to', '2020-01-01', '--format', 'jsonl'], b.dataDir);
    expect(backwards.code).toBe(EXIT.refused);
    expect(backwards.err.join('\n')).toMatch(/--from must be before --to/);
    const clash = await admin(['export-audit', '--from', '2020-01-01', '--to', '2020-01-02', '--format', 'csv', '--output', existing], b.dataDir);
    expect(clash.code).toBe(EXIT.refused);
    expect(readFileSync(existing, 'utf8')).toBe('mine');
    expect(await adminAuditLines(b.dataDir, 'admin.export-audit')).toEqual([]);
  });

  it('takes a stored fault’s decision again through diagnostics, keeping the old decision in the audit log', async () => {
    const b = await startTestBackend();
    backend = b;
    const [{ secret } = { secret: '' }] = await b.app.provision([SERIAL]);
    const box = await connectBox(b.mqttUrl, SERIAL, secret);
    await publish(box, topicFor(SERIAL, 'fault'), { id: 'f-retriage', ts: Date.now(), code: 'FLASH_WRITE_FAILED', severity: 'error' });
    await box.endAsync();
    const headers = await b.adminHeaders();
    const decisionsOf = async () =>
      (await (await fetch(`${b.api}/devices/${SERIAL}/decisions`, { headers })).json()) as Array<{ id: number; action: string }>;
    const [first] = await waitFor(async () => ((await decisionsOf()).length === 1 ? decisionsOf() : null), { what: 'the first decision' });
    expect((await admin(['retriage', '--fault', '1'], b.dataDir)).code).toBe(EXIT.refused);
    await b.app.stop();
    const fault = await withDb(b.dataDir, (db) => db.selectFrom('faults').select(['id', 'device_id']).executeTakeFirstOrThrow());

    expect((await admin(['retriage', '--fault', '999'], b.dataDir)).code).toBe(EXIT.refused);
    const r = await admin(['retriage', '--fault', String(fault.id)], b.dataDir);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out.join('\n')).toMatch(new RegExp(`it replaces decision ${first?.id}`));
    const [kept] = await adminAuditLines(b.dataDir, 'triage.decision-replaced');
    expect(kept).toMatchObject({
      entity_kind: 'device',
      entity_id: fault.device_id,
      actor: 'os:ops-tester',
      data: { faultId: fault.id, decision: { id: first?.id, action: first?.action } },
    });
    const [line] = await adminAuditLines(b.dataDir, 'admin.retriage');
    expect(line).toMatchObject({
      entity_kind: 'device',
      entity_id: fault.device_id,
      actor: 'os:ops-tester',
      data: { faultId: fault.id, replacedDecisionId: first?.id },
    });

    await b.restart();
    const after = await decisionsOf();
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBeGreaterThan(first?.id ?? 0);
    expect(after[0]?.id).toBe(line?.data?.decisionId);
  });
});
