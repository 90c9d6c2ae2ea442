import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { ADMIN_COMMANDS, EXIT, runAdmin } from '../services/platform/admin/index.ts';
import { listBackups, type BackupEntry } from '../services/platform/backup/index.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

const BOXES = 200;
const H = 3_600_000;

interface Snapshot {
  serials: string[];
  tickets: Array<{ id: number; state: string }>;
  audit: Map<number, Array<{ id: number; action: string; at: number; actor: string }>>;
  telemetry: number;
}

/** What the backup's own database file holds: the rows the restored server must serve. */
function readSnapshot(backup: BackupEntry): Snapshot {
  const db = new BetterSqlite3(path.join(backup.dir, 'mtbox-care.sqlite'), { readonly: true });
  try {
    const serials = db.prepare('select serial from devices order by serial').pluck().all() as string[];
    const tickets = db.prepare('select id, state from rma_tickets order by id').all() as Snapshot['tickets'];
    const audit = new Map<number, Array<{ id: number; action: string; at: number; actor: string }>>();
    for (const t of tickets) {
      audit.set(
        t.id,
        db.prepare("select id, action, at, actor from audit_log where entity_kind = 'rma' and entity_id = ? order by id").all(t.id) as never,
      );
    }
    const telemetry = db.prepare('select count(*) from telemetry').pluck().get() as number;
    return { serials, tickets, audit, telemetry };
  } finally {
    db.close();
  }
}

async function getJson<T>(url: string, headers: Record<string, string>): Promise<{ body: T; next: string | null }> {
  const res = await fetch(url, { headers });
  expect(res.status, url).toBe(200);
  return { body: (await res.json()) as T, next: res.headers.get('x-next-cursor') };
}

/** Every device and RMA ticket the server serves, page after page, through the HTTP API. */
async function served(backend: TestBackend) {
  const headers = await backend.adminHeaders();
  const serials: string[] = [];
  for (let cursor: string | null = ''; cursor !== null; ) {
    const { body }: { body: { devices: Array<{ serial: string }>; nextCursor: string | null } } = await getJson(
      `${backend.api}/devices?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      headers,
    );
    serials.push(...body.devices.map((d) => d.serial));
    cursor = body.nextCursor;
  }
  const tickets: Array<{ id: number; state: string }> = [];
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page: { body: Array<{ id: number; ticket: { state: string } }>; next: string | null } = await getJson(
      `${backend.api}/tickets?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      headers,
    );
    tickets.push(...page.body.map((t) => ({ id: t.id, state: t.ticket.state })));
    cursor = page.next;
  }
  return { serials, tickets, headers };
}

describe('a backup taken while 200 boxes report', () => {
  let source: TestBackend;
  let target: TestBackend;
  let offset = 0;
  const clock = () => Date.now() + offset;
  const clients: MqttClient[] = [];
  const backups: BackupEntry[] = [];

  beforeAll(async () => {
    source = await startTestBackend({ BACKUP_INTERVAL_H: '1' }, { clock });
    target = await startTestBackend();
    await target.app.stop();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
    await source.stop();
    await target.stop();
  });

  it('is consistent (on demand and by the schedule) and passes integrity_check', { timeout: 120_000 }, async () => {
    // With no backup in BACKUP_DIR, the schedule takes one at start.
    await waitFor(() => source.app.backups.status().taken.ok === 1, { what: 'the first scheduled backup' });
    const serials = Array.from({ length: BOXES }, (_, i) => `MTB26BACKU${String(i).padStart(3, '0')}`);
    const creds = await source.app.provision(serials, 'shared-backup-test-secret');
    // A firmware each, so fleet correlation does not fold the boxes' faults into one incident.
    const connect = async (c: { serial: string; secret: string }, i: number) => {
      const client = await connectBox(source.mqttUrl, c.serial, c.secret, { announce: false });
      await publish(client, topicFor(c.serial, 'status'), { state: 'online', fw: `2.${i}.0`, model: 'MT-BOX-4G', ts: Date.now() });
      return client;
    };
    for (let i = 0; i < BOXES; i += 50) {
      clients.push(...(await Promise.all(creds.slice(i, i + 50).map((c, k) => connect(c, i + k)))));
    }

    // Load: 40 boxes' telemetry and two boxes' faults every 20 ms, round the fleet; one box in
    // ten reports a hardware fault, which opens an RMA ticket.
    let tick = 0;
    const sent: Array<Promise<void>> = [];
    const load = setInterval(() => {
      tick++;
      for (let k = 0; k < 40; k++) {
        const b = (tick * 40 + k) % BOXES;
        sent.push(
          publish(clients[b]!, topicFor(serials[b]!, 'telemetry'), { ts: Date.now(), seq: tick, metrics: { rssi: -70, supply_voltage: 24 } }, 0),
        );
      }
      for (const b of [(2 * tick) % BOXES, (2 * tick + 1) % BOXES]) {
        const code = b % 10 === 0 ? 'FLASH_WRITE_FAILED' : 'PLC_LINK_DOWN';
        sent.push(publish(clients[b]!, topicFor(serials[b]!, 'fault'), { id: `f-${tick}`, ts: Date.now(), code, severity: 'error' }));
      }
    }, 20);
    try {
      await waitFor(
        async () => {
          const n = await source.app.db
            .selectFrom('rma_tickets')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
          return Number(n.n) >= 10 && (await source.app.storedTelemetryCount()) >= 2000;
        },
        { what: 'tickets and telemetry stored under load', timeoutMs: 30_000 },
      );
      const out: string[] = [];
      const io = {
        env: { DATA_DIR: source.dataDir },
        clock,
        operator: 'os:ops-tester',
        out: (l: string) => out.push(l),
        err: (l: string) => out.push(l),
      };
      expect(await runAdmin(['backup'], ADMIN_COMMANDS, io)).toBe(EXIT.ok);
      // The schedule's next one, an interval later, still under load.
      offset += H;
      const scheduled = await source.app.backups.check();
      expect(scheduled?.ok, scheduled && !scheduled.ok ? scheduled.reason : '').toBe(true);
    } finally {
      clearInterval(load);
      await Promise.all(sent);
    }
    const found = listBackups(path.join(source.dataDir, 'backups'));
    expect(found.map((b) => b.manifest.trigger)).toEqual(['schedule', 'on-demand', 'schedule']);
    backups.push(...found.slice(1));
    for (const b of backups) {
      expect(b.manifest.database.integrity).toBe('ok');
      const io = { env: { DATA_DIR: source.dataDir }, clock, operator: 'os:ops-tester', out: () => undefined, err: () => undefined };
      expect(await runAdmin(['verify-backup', b.name], ADMIN_COMMANDS, io)).toBe(EXIT.ok);
    }
  });

  it('restored into a stopped server, serves the same devices, tickets and audit lines as at backup time', { timeout: 120_000 }, async () => {
    expect(backups).toHaveLength(2);
    for (const backup of backups) {
      const snapshot = readSnapshot(backup);
      expect(snapshot.serials).toHaveLength(BOXES);
      expect(snapshot.tickets.length).toBeGreaterThanOrEqual(10);
      expect(snapshot.telemetry).toBeGreaterThanOrEqual(2000);

      const io = { env: { DATA_DIR: target.dataDir }, clock, operator: 'os:ops-tester', out: () => undefined, err: (l: string) => console.error(l) };
      expect(await runAdmin(['restore', backup.dir], ADMIN_COMMANDS, io)).toBe(EXIT.ok);
      await target.restart();
      const { serials, tickets, headers } = await served(target);
      expect(serials).toEqual(snapshot.serials);
      // Every ticket the snapshot had, in the state it had; faults stored but not yet triaged
      // at backup time are triaged after the restore and may add more.
      const byId = new Map(tickets.map((t) => [t.id, t.state]));
      for (const t of snapshot.tickets) expect(byId.get(t.id), `ticket ${t.id}`).toBe(t.state);
      for (const t of snapshot.tickets) {
        const { body } = await getJson<{ audit: Array<{ id: number; action: string; at: number; actor: string }> }>(
          `${target.api}/tickets/${t.id}`,
          headers,
        );
        const served = body.audit.map(({ id, action, at, actor }) => ({ id, action, at, actor }));
        expect(snapshot.audit.get(t.id)?.length, `ticket ${t.id}'s audit lines at backup time`).toBeGreaterThan(0);
        expect(served).toEqual(expect.arrayContaining(snapshot.audit.get(t.id) ?? []));
      }
      await target.app.stop();
    }
  });
});
