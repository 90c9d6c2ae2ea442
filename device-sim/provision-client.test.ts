/*
 * Only the HTTP calls are tested here, against a tiny stub of the three endpoints. The
 * real API (auth, import, secret rotation) and the simulator against it are covered by
 * the project's integration tests in test/.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrProvision } from './credentials.ts';
import { readCredentialsFile } from './credentials-csv.ts';
import { csvRecords, formatCsv } from './csv.ts';
import { DEVICE_IMPORT_COLUMNS, demoDevice, serialFor } from './demo-fleet.ts';
import { provisionDevices } from './provision-client.ts';

const PASSWORD = 'admin-password-1';
const TOKEN = 'tok-123';
// What POST /api/auth/login answers (LoginResponse in accounts/api/account-schemas.ts).
const LOGIN_ANSWER = { token: TOKEN, user: { username: 'admin', role: 'admin', organisationId: null }, expiresAt: Date.UTC(2026, 10, 3) };

interface Stub {
  url: string;
  registered: Map<string, string>;
  calls: string[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The endpoints as the API brief describes them: all-or-nothing import, 409 on any existing serial. */
async function startStub(existing: string[] = [], loginAnswer: unknown = LOGIN_ANSWER): Promise<Stub> {
  const registered = new Map(existing.map((s) => [s, 'old-secret']));
  const calls: string[] = [];
  let issued = 0;
  const server: Server = createServer(async (req, res) => {
    const text = await body(req);
    calls.push(`${req.method} ${req.url}`);
    const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
    if (req.url === '/api/auth/login') {
      const ok = JSON.parse(text).password === PASSWORD;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? loginAnswer : { error: 'INVALID_CREDENTIALS' }));
    } else if (req.url === '/api/devices/import' && authorized) {
      expect(req.headers['content-type']).toBe('text/csv');
      expect(req.headers.accept).toBe('text/csv');
      const { header, records } = csvRecords(text);
      expect(header).toEqual([...DEVICE_IMPORT_COLUMNS]);
      if (records.some((r) => registered.has(r.values.serial ?? ''))) {
        res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'DEVICE_EXISTS' }));
        return;
      }
      const rows = records.map((r) => [r.values.serial ?? '', `new-${++issued}`]);
      for (const [sn, secret] of rows) registered.set(sn as string, secret as string);
      res.writeHead(201, { 'content-type': 'text/csv' }).end(formatCsv([['serial', 'secret'], ...rows]));
    } else if (req.method === 'POST' && /^\/api\/devices\/\w+\/secret$/.test(req.url ?? '') && authorized) {
      const sn = req.url?.split('/')[3] ?? '';
      if (!registered.has(sn)) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'DEVICE_NOT_FOUND' }));
        return;
      }
      registered.set(sn, `rotated-${++issued}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ serial: sn, secret: registered.get(sn) }));
    } else {
      res.writeHead(authorized ? 404 : 401).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, registered, calls, close: () => new Promise((r) => server.close(() => r())) };
}

const NOW = Date.UTC(2026, 10, 2);
const devices = (n: number) => Array.from({ length: n }, (_, i) => demoDevice(serialFor('MTB2611', i + 1), NOW, 0));

describe('provisioning through the HTTP API', () => {
  let stub: Stub;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-provision-'));
  });
  afterEach(async () => {
    await stub?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs in, imports the demo boxes as CSV and returns the secrets the API issued', async () => {
    stub = await startStub();
    const got = await provisionDevices(devices(3), { apiUrl: stub.url, adminPassword: PASSWORD });
    expect(got).toEqual([...stub.registered].map(([serial, secret]) => ({ serial, secret })));
    expect(stub.calls).toEqual(['POST /api/auth/login', 'POST /api/devices/import']);
  });

  it('rotates the secrets of boxes that already exist and imports the rest on its own', async () => {
    stub = await startStub(['MTB2611000002']);
    const got = await provisionDevices(devices(3), { apiUrl: stub.url, adminPassword: PASSWORD });
    expect(new Map(got.map((c) => [c.serial, c.secret]))).toEqual(stub.registered);
    expect(stub.registered.get('MTB2611000002')).toMatch(/^rotated-/);
    expect(stub.calls.filter((c) => c === 'POST /api/devices/import')).toHaveLength(2);
  });

  it('stops with LOGIN_FAILED when the admin password is wrong', async () => {
    stub = await startStub();
    await expect(provisionDevices(devices(1), { apiUrl: stub.url, adminPassword: 'wrong' })).rejects.toMatchObject({
      code: 'LOGIN_FAILED',
      status: 401,
    });
  });

  it('stops with BAD_RESPONSE when an answer does not match the API schema', async () => {
    stub = await startStub([], { token: TOKEN });
    await expect(provisionDevices(devices(1), { apiUrl: stub.url, adminPassword: PASSWORD })).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('says the API is unreachable instead of failing obscurely', async () => {
    stub = await startStub();
    await stub.close();
    await expect(provisionDevices(devices(1), { apiUrl: stub.url, adminPassword: PASSWORD })).rejects.toMatchObject({ code: 'API_UNREACHABLE' });
    stub = await startStub(); // for afterEach
  });

  it('saves provisioned credentials once and serves the next run from the file', async () => {
    stub = await startStub();
    const file = join(dir, 'data', 'sim-fleet.csv');
    const request = { count: 4, prefix: 'MTB2611', file, apiUrl: stub.url, adminPassword: PASSWORD, now: NOW };
    const first = await loadOrProvision(request);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readCredentialsFile(file)).toEqual(first);

    const callsAfterFirst = stub.calls.length;
    expect(await loadOrProvision(request)).toEqual(first);
    expect(stub.calls.length).toBe(callsAfterFirst);

    // Growing the fleet provisions only the new boxes.
    const grown = await loadOrProvision({ ...request, count: 6 });
    expect(grown.slice(0, 4)).toEqual(first);
    expect(stub.calls.slice(callsAfterFirst)).toEqual(['POST /api/auth/login', 'POST /api/devices/import']);
  });
});
