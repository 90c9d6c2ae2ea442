import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../services/platform/project-root.ts';
import type { BoxCredentials } from './target.ts';
import { cpuUsOf } from './process-cpu.ts';
import { stopAndRemove } from './child-stop.ts';

/**
 * The backend as `npm start` runs it (`services/main.ts` in its own Node process, configured by
 * environment), on free loopback ports and a fresh data directory, so that the browser and the
 * boxes load it and nothing the benchmark does shares its event loop.
 */

const ADMIN_PASSWORD = 'bench-admin-password-not-secret';
const READY_TIMEOUT_MS = 60_000;

export interface FleetBackend {
  pid: number;
  /** `http://127.0.0.1:PORT` */
  base: string;
  mqttPort: number;
  admin: { username: string; password: string };
  /** CPU time the backend process has used so far (user + system), from /proc. */
  cpuUs(): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `env` is added to the backend's environment (e.g. limits or a calendar a benchmark needs). */
export async function startFleetBackend(opts: { env?: Record<string, string> } = {}): Promise<FleetBackend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mtbox-fleet-page-'));
  const [httpPort, mqttPort] = [await freePort(), await freePort()];
  // `node dist/services/main.js` as `npm start` runs it (the bench script builds first), and
  // without npm in between, whose grandchild's CPU could not be read from the pid we hold.
  const child = spawn(process.execPath, ['dist/services/main.js'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      MQTT_PORT: String(mqttPort),
      MQTT_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      HTTP_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD,
      ...opts.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${httpPort}`;
  const stop = () => stopAndRemove(child, exited, dataDir);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`services/main.ts exited at start (${child.exitCode})`);
    const up = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`backend not answering on ${base} after ${READY_TIMEOUT_MS} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    base,
    mqttPort,
    admin: { username: 'admin', password: ADMIN_PASSWORD },
    cpuUs: () => cpuUsOf(child.pid!),
    stop,
  };
}

/** A bearer token for the admin, for the API calls the benchmark makes itself. */
export async function adminToken(backend: FleetBackend): Promise<string> {
  const res = await fetch(`${backend.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(backend.admin),
  });
  if (res.status !== 200) throw new Error(`admin login answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export const fleetSerial = (i: number) => `MTB26BENCH${String(i).padStart(5, '0')}`;

const CUSTOMERS = ['Hangzhou Precision Molding', 'Suzhou Water Works', 'Ningbo Cold Chain Logistics', 'Wuxi Textile No. 3 Plant'];
const LINES = ['smart-factory', 'smart-city', 'smart-logistics', 'smart-factory'];

/**
 * Registers `count` boxes through the CSV import endpoint, as after-sales would (one secret
 * hashed per box, on the server), with a model, firmware, customer and receipt date like a real
 * fleet, so the rows and the answer carry what production rows carry. At most 10,000 a call.
 */
export async function importFleet(backend: FleetBackend, token: string, count: number): Promise<BoxCredentials[]> {
  const lines = ['serial,model,firmware,receiptDate,customerName,customerPhone,businessLine'];
  for (let i = 0; i < count; i++) {
    // Receipt dates spread over 2024-2026: part of the fleet is in warranty, most is not.
    const receipt = new Date(Date.UTC(2024, 0, 1) + (i % 1000) * 86_400_000).toISOString().slice(0, 10);
    const c = i % CUSTOMERS.length;
    lines.push(`${fleetSerial(i)},MT-BOX-4G,2.4.${i % 3},${receipt},${CUSTOMERS[c]},+86 571 8888 ${String(i % 10_000).padStart(4, '0')},${LINES[c]}`);
  }
  const res = await fetch(`${backend.base}/api/devices/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: lines.join('\n'),
  });
  if (res.status !== 201) throw new Error(`CSV import answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  const { devices } = (await res.json()) as { devices: BoxCredentials[] };
  return devices;
}
