import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../services/app.ts';
import { loadConfig } from '../services/platform/config.ts';
import { ADMIN_PASSWORD } from './helpers/backend.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The database holds password and box-secret hashes and customers' data. Whatever umask the
 * service is started with, its data directory is 0700 and the database with its WAL and
 * shared-memory files 0600; one left open by an earlier run is narrowed at start and logged.
 */

const DB_FILE = 'mtbox-care.sqlite';
const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);

let root: ReturnType<typeof tempDir>;
let previousUmask: number;
let app: App | null = null;
let logs: Array<Record<string, unknown>> = [];

beforeEach(() => {
  root = tempDir('mtbox-modes-');
  previousUmask = process.umask(0o022);
  logs = [];
});

afterEach(async () => {
  await app?.stop();
  app = null;
  process.umask(previousUmask);
  root.remove();
});

async function start(dataDir: string): Promise<App> {
  const config = loadConfig({
    MQTT_PORT: '0',
    MQTT_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
  });
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  app = await startApp(config, { logger });
  return app;
}

/** Writes through the API (a login session and a device) so the WAL is in use. */
async function writeSomething(running: App, serial = 'MTB2411000001'): Promise<void> {
  const api = `http://127.0.0.1:${running.httpPort}/api`;
  const login = await fetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const { token } = (await login.json()) as { token: string };
  const created = await fetch(`${api}/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ serial, model: 'MT-BOX-4G' }),
  });
  expect(created.status).toBe(201);
}

describe('data directory and database files', () => {
  it('creates the data directory 0700 and the database, WAL and shared-memory files 0600 under umask 022', async () => {
    const dataDir = path.join(root.path, 'fresh', 'data');
    const running = await start(dataDir);
    await writeSomething(running);
    const db = path.join(dataDir, DB_FILE);
    await waitFor(() => existsSync(`${db}-wal`) && existsSync(`${db}-shm`), { what: 'the WAL and shared-memory files' });

    expect(modeOf(dataDir)).toBe('700');
    expect(modeOf(db)).toBe('600');
    expect(modeOf(`${db}-wal`)).toBe('600');
    expect(modeOf(`${db}-shm`)).toBe('600');
    expect(logs.filter((l) => String(l.msg).includes('narrowed'))).toEqual([]);
  });

  it('narrows a data directory and database left readable by others at start, and logs each', async () => {
    const dataDir = path.join(root.path, 'data');
    await writeSomething(await start(dataDir));
    await app!.stop();
    app = null;
    const db = path.join(dataDir, DB_FILE);
    chmodSync(dataDir, 0o755);
    chmodSync(db, 0o644);

    await writeSomething(await start(dataDir), 'MTB2411000002');
    await waitFor(() => existsSync(`${db}-wal`), { what: 'the WAL file' });

    expect(modeOf(dataDir)).toBe('700');
    expect(modeOf(db)).toBe('600');
    expect(modeOf(`${db}-wal`)).toBe('600');
    expect(logs.filter((l) => String(l.msg).includes('narrowed')).map((l) => [l.path, l.from, l.to])).toEqual([
      [dataDir, '755', '700'],
      [db, '644', '600'],
    ]);
  });

  it('keeps a directory that already exists private without widening it', async () => {
    const dataDir = path.join(root.path, 'kept');
    mkdirSync(dataDir, { mode: 0o700 });
    await writeSomething(await start(dataDir));
    expect(modeOf(dataDir)).toBe('700');
    expect(modeOf(path.join(dataDir, DB_FILE))).toBe('600');
    expect(logs.filter((l) => String(l.msg).includes('narrowed'))).toEqual([]);
  });
});
