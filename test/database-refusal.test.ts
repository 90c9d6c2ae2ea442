import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../services/app.ts';
import { loadConfig } from '../services/platform/config.ts';
import { DatabaseRefusedError, openSqlite } from '../services/platform/db/index.ts';
import { createLogger } from '../services/platform/logger.ts';
import { tempDir } from './helpers/temp-dir.ts';

/*
 * A database this version must not migrate is refused at start, before anything is written
 * to it: one written by a newer version, and files that are not MT-BOX Care databases.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const DB_FILE = 'mtbox-care.sqlite';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function dataDir(): string {
  const dir = tempDir('upgrade-refusal-');
  dirs.push(dir);
  return dir.path;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A database this version made, then stamped with a migration only a later version would know. */
async function databaseFromTheFuture(): Promise<string> {
  const dir = dataDir();
  const opened = await openSqlite(dir);
  await opened.close();
  const sqlite = new BetterSqlite3(path.join(dir, DB_FILE));
  sqlite.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('9999_from_the_future', new Date().toISOString());
  sqlite.close();
  return dir;
}

function start(dir: string) {
  const config = loadConfig({ MQTT_PORT: '0', MQTT_HOST: '127.0.0.1', HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent' });
  return startApp(config, { logger: createLogger(config.LOG_LEVEL) });
}

/** Starts the backend and expects it refused with this code; the file must be byte for byte as before. */
async function expectRefused(dir: string, code: DatabaseRefusedError['code']): Promise<DatabaseRefusedError> {
  const file = path.join(dir, DB_FILE);
  const before = sha256(file);
  const err = await start(dir).then(
    async (app) => {
      await app.stop();
      throw new Error('the backend started');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseRefusedError);
  const refused = err as DatabaseRefusedError;
  expect(refused.code).toBe(code);
  expect(refused.file).toBe(file);
  expect(refused.message).toContain(file);
  expect(sha256(file)).toBe(before);
  return refused;
}

describe('a database this version must not migrate', () => {
  it('refuses a database written by a newer version, naming the file, the unknown migration and what to do, and leaves it unchanged', async () => {
    const dir = await databaseFromTheFuture();
    const refused = await expectRefused(dir, 'DATABASE_NEWER');
    expect(refused.message).toContain('9999_from_the_future');
    expect(refused.message).toContain('this database was written by a newer MT-BOX Care');
    expect(refused.message).toContain('run that version or restore a backup taken before the upgrade');
  });

  it('starts again on the copy taken before the upgrade once it is put back (the way to roll back)', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await first.provision(['MTB26ROLL0001']);
    await first.stop();
    const file = path.join(dir, DB_FILE);
    const backup = path.join(dataDir(), 'before-upgrade.sqlite');
    copyFileSync(file, backup);
    // What a newer version's start leaves behind: a migration this one does not know.
    const sqlite = new BetterSqlite3(file);
    sqlite.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('9999_from_the_future', new Date().toISOString());
    sqlite.close();
    await expectRefused(dir, 'DATABASE_NEWER');

    copyFileSync(backup, file);
    const again = await start(dir);
    try {
      expect(await again.registry.findBySerial('MTB26ROLL0001')).toMatchObject({ serial: 'MTB26ROLL0001' });
    } finally {
      await again.stop();
    }
  });

  it('says so in words on the command line and exits non-zero', async () => {
    const dir = await databaseFromTheFuture();
    const file = path.join(dir, DB_FILE);
    const before = sha256(file);
    const env = { PATH: process.env.PATH ?? '', MQTT_PORT: '0', HTTP_PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', 'services/main.ts'], { cwd: ROOT, env }, (_err, _out, stderr) =>
        resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}: this database was written by a newer MT-BOX Care`);
    expect(stderr).toContain('9999_from_the_future');
    expect(sha256(file)).toBe(before);
  });

  it('refuses a file that is not SQLite', async () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, DB_FILE), 'serial,model\nMTB26X00001,MT-BOX-4G\n'.repeat(200), { mode: 0o600 });
    const refused = await expectRefused(dir, 'DATABASE_FOREIGN');
    expect(refused.message).toContain('is not an MT-BOX Care database');
  });

  it('refuses a SQLite database with other tables and none of ours, naming its tables', async () => {
    const dir = dataDir();
    const sqlite = new BetterSqlite3(path.join(dir, DB_FILE));
    sqlite.exec('create table invoices (id integer primary key, total integer); insert into invoices (total) values (42)');
    sqlite.close();
    const refused = await expectRefused(dir, 'DATABASE_FOREIGN');
    expect(refused.message).toContain('is not an MT-BOX Care database');
    expect(refused.message).toContain('invoices');
  });

  it('refuses a second server on a data directory a running one holds, leaving the database alone', async () => {
    const dir = dataDir();
    const env = { MQTT_PORT: '0', MQTT_HOST: '127.0.0.1', HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const first = await startApp(loadConfig(env), { logger: createLogger('silent') });
    try {
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx', 'services/main.ts'],
          { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
          (_err, _out, stderr) => resolve({ code: child.exitCode, stderr }),
        );
      });
      expect(code).toBe(1);
      expect(stderr).toContain(`${dir} is in use by a running MT-BOX Care server (pid ${process.pid}`);
      expect(stderr).toContain('stop it first, or give this server its own DATA_DIR');
      // The first server goes on serving from its database.
      expect(await first.storedTelemetryCount()).toBe(0);
      expect((await first.ready()).ready).toBe(true);
      expect(readFileSync(path.join(dir, 'server.lock'), 'utf8')).toContain(`"pid":${process.pid}`);
    } finally {
      await first.stop();
    }
  });
});
