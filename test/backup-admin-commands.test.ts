import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../services/platform/db/index.ts';
import { ADMIN_COMMANDS, EXIT, runAdmin } from '../services/platform/admin/index.ts';
import { listBackups } from '../services/platform/backup/index.ts';
import { PROJECT_ROOT } from '../services/platform/project-root.ts';
import { connectBox, startTestBackend, type TestBackend } from './helpers/backend.ts';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);
const run = promisify(execFile);

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function io(dataDir: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      env: { DATA_DIR: dataDir, ...env },
      clock: () => NOW,
      operator: 'os:ops-tester',
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
    },
  };
}

async function systemAudit(dataDir: string) {
  const { db, close } = await openSqlite(dataDir);
  try {
    return await db.selectFrom('audit_log').selectAll().where('entity_kind', '=', 'system').orderBy('id').execute();
  } finally {
    await close();
  }
}

describe('the backup admin commands', () => {
  const backends: TestBackend[] = [];
  afterEach(async () => {
    for (const b of backends.splice(0)) await b.stop();
  });

  async function backend(env: Record<string, string> = {}): Promise<TestBackend> {
    const b = await startTestBackend(env);
    backends.push(b);
    return b;
  }

  /** A stopped server with one box, and an on-demand backup of it. */
  async function backedUp() {
    const source = await backend();
    const [box] = await source.app.provision(['MTB26RESTO001']);
    const t = io(source.dataDir);
    expect(await runAdmin(['backup'], ADMIN_COMMANDS, t.io)).toBe(EXIT.ok);
    await source.app.stop();
    const [backup] = listBackups(path.join(source.dataDir, 'backups'));
    if (!box || !backup) throw new Error('no box or no backup');
    return { source, box, backup };
  }

  it('take a backup and list it with its time, size and verification, writing audit lines', async () => {
    const { source, backup } = await backedUp();
    const t = io(source.dataDir);
    // A second one within the same second is named with -2, and listed first.
    expect(await runAdmin(['backup'], ADMIN_COMMANDS, t.io)).toBe(EXIT.ok);
    t.out.length = 0;
    expect(await runAdmin(['backups'], ADMIN_COMMANDS, t.io)).toBe(EXIT.ok);
    const size = `${(backup.manifest.database.sizeBytes / 1_048_576).toFixed(1)} MiB`;
    expect(t.out).toEqual([
      expect.stringMatching(/^mtbox-care-20261130T090000Z-2 {2}2026-11-30T09:00:00\.000Z {2}[\d.]+ MiB {2}verified {2}on-demand$/),
      `mtbox-care-20261130T090000Z  2026-11-30T09:00:00.000Z  ${size}  verified  on-demand`,
    ]);
    expect(await runAdmin(['verify-backup', 'mtbox-care-20261130T090000Z'], ADMIN_COMMANDS, t.io)).toBe(EXIT.ok);
    expect(t.out.at(-1)).toBe('mtbox-care-20261130T090000Z: ok (integrity_check ok, sha256 matches the manifest)');
    const audit = await systemAudit(source.dataDir);
    expect(audit.map((a) => [a.entity_id, a.actor, a.action])).toEqual([
      [0, 'os:ops-tester', 'admin.backup'],
      [0, 'os:ops-tester', 'admin.backup'],
      [0, 'os:ops-tester', 'admin.backups'],
      [0, 'os:ops-tester', 'admin.verify-backup'],
    ]);
  });

  it('restore a backup into a stopped server: the old database is moved aside, the key comes back and boxes log in', async () => {
    const { backup, box } = await backedUp();
    // Another installation: its own database and its own box secret key.
    const target = await backend();
    await target.app.stop();
    const oldKey = readFileSync(path.join(target.dataDir, 'box-secret.key'));
    const oldDbSha = sha256(path.join(target.dataDir, 'mtbox-care.sqlite'));
    // As a killed server would leave it: a write-ahead log beside the database.
    writeFileSync(path.join(target.dataDir, 'mtbox-care.sqlite-wal'), 'left by a killed server');
    const t = io(target.dataDir);
    expect(await runAdmin(['restore', backup.dir], ADMIN_COMMANDS, t.io)).toBe(EXIT.ok);
    expect(t.out[0]).toBe(`restored mtbox-care-20261130T090000Z (taken 2026-11-30T09:00:00.000Z) into ${target.dataDir}`);
    const aside = path.join(target.dataDir, 'mtbox-care.sqlite.before-restore-20261130T090000Z');
    expect(sha256(aside)).toBe(oldDbSha);
    expect(readFileSync(`${aside}-wal`, 'utf8')).toBe('left by a killed server');
    expect(existsSync(path.join(target.dataDir, 'mtbox-care.sqlite-wal'))).toBe(false);
    expect(readFileSync(path.join(target.dataDir, 'box-secret.key.before-restore-20261130T090000Z'))).toEqual(oldKey);
    expect(readFileSync(path.join(target.dataDir, 'box-secret.key'))).toEqual(readFileSync(path.join(backup.dir, 'box-secret.key')));
    for (const f of ['mtbox-care.sqlite', 'box-secret.key']) expect(statSync(path.join(target.dataDir, f)).mode & 0o777).toBe(0o600);
    // The restore's audit line is in the restored database.
    expect((await systemAudit(target.dataDir)).map((a) => a.action)).toEqual(['admin.restore']);

    await target.restart();
    const client = await connectBox(target.mqttUrl, box.serial, box.secret);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('the holiday years an admin added travel with the backup; ones added after it are moved aside by a restore', async () => {
    const source = await backend();
    const years = '{"2027":{"holidays":["2027-01-01"],"workdays":[]}}\n';
    writeFileSync(path.join(source.dataDir, 'calendar.json'), years);
    expect(await runAdmin(['backup'], ADMIN_COMMANDS, io(source.dataDir).io)).toBe(EXIT.ok);
    await source.app.stop();
    const [backup] = listBackups(path.join(source.dataDir, 'backups'));
    if (!backup) throw new Error('no backup');
    expect(readFileSync(path.join(backup.dir, 'calendar.json'), 'utf8')).toBe(years);
    expect(backup.manifest.calendar).toEqual({ sha256: sha256(path.join(backup.dir, 'calendar.json')) });

    const target = await backend();
    await target.app.stop();
    writeFileSync(path.join(target.dataDir, 'calendar.json'), '{"2028":{"holidays":[],"workdays":[]}}\n');
    expect(await runAdmin(['restore', backup.dir], ADMIN_COMMANDS, io(target.dataDir).io)).toBe(EXIT.ok);
    expect(readFileSync(path.join(target.dataDir, 'calendar.json'), 'utf8')).toBe(years);
    expect(readFileSync(path.join(target.dataDir, 'calendar.json.before-restore-20261130T090000Z'), 'utf8')).toContain('2028');

    // A calendar changed after the backup was taken fails its verification.
    writeFileSync(path.join(backup.dir, 'calendar.json'), '{}');
    const t = io(target.dataDir);
    expect(await runAdmin(['verify-backup', backup.dir], ADMIN_COMMANDS, t.io)).toBe(EXIT.refused);
    expect(t.err.join('\n')).toContain('calendar.json has changed since the backup was taken');
  });

  it('rolls back an upgrade: the backup taken before it replaces a database a newer version migrated', async () => {
    const { backup, box } = await backedUp();
    const target = await backend();
    await target.app.stop();
    // As the newer version left it: a migration this version does not know.
    const upgraded = new BetterSqlite3(path.join(target.dataDir, 'mtbox-care.sqlite'));
    upgraded.prepare("insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2027-01-01T00:00:00.000Z')").run();
    upgraded.close();
    const upgradedSha = sha256(path.join(target.dataDir, 'mtbox-care.sqlite'));
    expect(await runAdmin(['restore', backup.dir], ADMIN_COMMANDS, io(target.dataDir).io)).toBe(EXIT.ok);
    // The upgraded database is kept aside as it was; this version starts on the backup.
    expect(sha256(path.join(target.dataDir, 'mtbox-care.sqlite.before-restore-20261130T090000Z'))).toBe(upgradedSha);
    await target.restart();
    const client = await connectBox(target.mqttUrl, box.serial, box.secret);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('restore refuses while a server runs on the data directory, and changes nothing', async () => {
    const { backup } = await backedUp();
    const live = await backend();
    const before = sha256(path.join(live.dataDir, 'mtbox-care.sqlite'));
    const t = io(live.dataDir);
    expect(await runAdmin(['restore', backup.dir], ADMIN_COMMANDS, t.io)).toBe(EXIT.refused);
    expect(t.err.join('\n')).toMatch(/in use by a running MT-BOX Care server .*stop the server before "restore"; nothing was done/);
    expect(sha256(path.join(live.dataDir, 'mtbox-care.sqlite'))).toBe(before);
    expect(readdirSync(live.dataDir).filter((f) => f.includes('before-restore'))).toEqual([]);
  });

  it('restore refuses a damaged backup (sha256 mismatch) and leaves the current database untouched', async () => {
    const { backup } = await backedUp();
    const target = await backend();
    await target.app.stop();
    const before = sha256(path.join(target.dataDir, 'mtbox-care.sqlite'));
    // One row changed after the backup was taken: still a sound SQLite file, but not the backup.
    const db = new BetterSqlite3(path.join(backup.dir, 'mtbox-care.sqlite'));
    db.prepare("update devices set serial = 'MTB26RESTO999'").run();
    db.close();
    const t = io(target.dataDir);
    expect(await runAdmin(['restore', backup.dir], ADMIN_COMMANDS, t.io)).toBe(EXIT.refused);
    expect(t.err.join('\n')).toMatch(
      /is damaged: mtbox-care\.sqlite has changed since the backup was taken .*Nothing was restored; the current database is unchanged/,
    );
    expect(sha256(path.join(target.dataDir, 'mtbox-care.sqlite'))).toBe(before);
    expect(readdirSync(target.dataDir).filter((f) => f.includes('before-restore'))).toEqual([]);
    expect(await runAdmin(['verify-backup', backup.dir], ADMIN_COMMANDS, t.io)).toBe(EXIT.refused);
  });

  it('restore refuses a backup written by a newer version and leaves the current database untouched', async () => {
    const { backup } = await backedUp();
    const file = path.join(backup.dir, 'mtbox-care.sqlite');
    const db = new BetterSqlite3(file);
    db.prepare("insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2027-01-01T00:00:00.000Z')").run();
    db.pragma('journal_mode = DELETE');
    db.close();
    // A sound backup of that newer version: its manifest matches its file.
    const manifestFile = path.join(backup.dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.database.sha256 = sha256(file);
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const target = await backend();
    await target.app.stop();
    const before = sha256(path.join(target.dataDir, 'mtbox-care.sqlite'));
    const t = io(target.dataDir);
    expect(await runAdmin(['restore', backup.dir], ADMIN_COMMANDS, t.io)).toBe(EXIT.refused);
    expect(t.err.join('\n')).toMatch(
      /cannot be opened by this version: .*written by a newer MT-BOX Care \(migration\(s\) 9999_from_the_future.*Nothing was restored/,
    );
    expect(sha256(path.join(target.dataDir, 'mtbox-care.sqlite'))).toBe(before);
  });

  it('restore onto a new machine: an empty data directory', async () => {
    const { backup, source } = await backedUp();
    const fresh = path.join(source.dataDir, 'new-machine');
    const t = io(fresh);
    expect(await runAdmin(['restore', backup.dir], ADMIN_COMMANDS, t.io)).toBe(EXIT.ok);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    expect(existsSync(path.join(fresh, 'mtbox-care.sqlite'))).toBe(true);
  });

  it('run through the real entry: backup while the server runs (exit 0), restore refused while it runs (exit 1)', async () => {
    const live = await backend();
    const cli = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'services/admin-cli.ts', ...args], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, DATA_DIR: live.dataDir },
      }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const taken = await cli(['backup']);
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stdout).toMatch(/^mtbox-care-\d{8}T\d{6}Z {2}[\d.]+ MiB {2}integrity ok {2}/);
    const [backup] = listBackups(path.join(live.dataDir, 'backups'));
    const refused = await cli(['restore', backup?.name ?? 'none']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/restore: .* in use by a running MT-BOX Care server/);
  });
});
