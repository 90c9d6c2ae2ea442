import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish } from './helpers/backend.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * `npm start` runs the build, not the sources: this builds into a folder of its own (so no
 * earlier dist/ is relied on) and starts `node <out>/services/main.js` as npm start does, with
 * plain node. Node 20 cannot load a .ts file without a loader, so a start that works and an out
 * folder holding no .ts prove that nothing went through tsx, the telemetry writer thread included.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const ADMIN_PASSWORD = 'compiled-start-password';
const SERIAL = 'MTB2611000401';
const BUILD_TIMEOUT_MS = 240_000;

function run(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

interface LogLine {
  level: number;
  msg: string;
  mqtt?: number;
  http?: number;
}

describe('the compiled start', () => {
  // Inside the checkout: the compiled modules are ES modules by its package.json.
  mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const outDir = mkdtempSync(path.join(ROOT, '.tmp', 'compiled-start-'));
  const data = tempDir();
  let child: ChildProcess | undefined;
  let box: MqttClient | undefined;
  let stdout = '';
  let api = '';
  let mqttUrl = '';
  let exited: Promise<number | null>;
  const logLines = (): LogLine[] =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);

  beforeAll(async () => {
    const build = await run(process.execPath, ['scripts/build.mjs', outDir]);
    expect(build.output).toContain('compiled into');
    expect(build.code).toBe(0);
    // No loader may come in through the environment either.
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    child = spawn(process.execPath, [path.join(outDir, 'services', 'main.js')], {
      cwd: ROOT,
      env: {
        ...env,
        MQTT_PORT: '0',
        HTTP_PORT: '0',
        MQTT_HOST: '127.0.0.1',
        HTTP_HOST: '127.0.0.1',
        DATA_DIR: data.path,
        ADMIN_PASSWORD,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const proc = child;
    exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const up = await waitFor(() => logLines().find((l) => l.mqtt !== undefined && l.http !== undefined), {
      timeoutMs: 30_000,
      what: 'the compiled backend to say it is up',
    });
    api = `http://127.0.0.1:${up.http}/api`;
    mqttUrl = `mqtt://127.0.0.1:${up.mqtt}`;
  }, BUILD_TIMEOUT_MS);

  afterAll(() => {
    box?.end(true);
    child?.kill('SIGKILL');
    data.remove();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('builds JavaScript only, with the data files the code reads beside it', () => {
    const files = filesUnder(outDir).map((f) => path.relative(outDir, f));
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(files).toContain(path.join('services', 'edge', 'telemetry', 'store', 'telemetry-writer.worker.js'));
    expect(files).toContain(path.join('services', 'after-sales', 'diagnostics', 'catalog', 'fault-catalog.json'));
    expect(files).toContain(path.join('services', 'after-sales', 'calendar', 'data', 'cn-calendar.json'));
  });

  it('answers the health check and serves the dashboard', async () => {
    const health = await fetch(`${api}/health`);
    expect(health.status).toBe(200);
    const page = await fetch(`${api.replace(/\/api$/, '')}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toBe(readFileSync(path.join(ROOT, 'dashboard', 'index.html'), 'utf8'));
  });

  it('stores the telemetry a provisioned box publishes, through the compiled writer thread', async () => {
    const login = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const created = await fetch(`${api}/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ serial: SERIAL, model: 'MT-BOX-4G' }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };

    box = await connectBox(mqttUrl, SERIAL, secret);
    const ts = Date.now();
    await publish(box, topicFor(SERIAL, 'telemetry'), { ts, seq: 1, metrics: { board_temp: 41.5 } });

    const points = await waitFor(
      async () => {
        const res = await fetch(`${api}/devices/${SERIAL}/telemetry?metric=board_temp`, { headers: auth });
        const body = (await res.json()) as { points: Array<{ ts: number; value: number }> };
        return body.points.length > 0 ? body.points : null;
      },
      { timeoutMs: 10_000, what: 'the telemetry point to be stored' },
    );
    expect(points).toEqual([{ ts, value: 41.5, min: 41.5, max: 41.5, count: 1 }]);
    // A writer thread that failed to load would be reported and replaced by inline writes.
    expect(logLines().filter((l) => l.level >= 50)).toEqual([]);
  });

  it('exits 0 on SIGTERM', async () => {
    let code: number | null | undefined;
    void exited.then((c) => (code = c));
    child!.kill('SIGTERM');
    await waitFor(() => code !== undefined, { timeoutMs: 20_000, what: 'the backend to exit' });
    expect(code).toBe(0);
  });

  it('runs the compiled admin CLI on the stopped server’s data, as the container does, the backup’s copy thread included', async () => {
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    const cli = (...args: string[]) =>
      run(process.execPath, [path.join(outDir, 'services', 'admin-cli.js'), ...args], { env: { ...env, DATA_DIR: data.path } });
    const users = await cli('users');
    expect(users.code).toBe(0);
    expect(users.output).toMatch(/^admin\s+admin\s+enabled/m);
    const backup = await cli('backup');
    expect(backup.output).toMatch(/^mtbox-care-\d{8}T\d{6}Z(-\d+)? {2}[\d.]+ MiB {2}integrity ok/m);
    expect(backup.code).toBe(0);
    const verified = await cli('verify-backup', (/^(mtbox-care-\S+)/m.exec(backup.output) ?? [])[1] ?? 'none');
    expect(verified.code).toBe(0);
  });
});
