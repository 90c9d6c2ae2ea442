import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createSqliteUserStore } from '../../services/platform/accounts/store/sqlite-user-store.ts';
import type { Role } from '../../services/platform/accounts/domain/roles.ts';
import { loadConfig, type Config } from '../../services/platform/config.ts';
import { openSqlite, type Db } from '../../services/platform/db/database.ts';
import { createAfterSales, type AfterSales } from '../../services/after-sales/compose-after-sales.ts';
import { createCommandService } from '../../services/edge/commands/command-service.ts';
import type { CommandPort } from '../../services/edge/commands/domain/command-port.ts';
import { createHttpApp } from '../../services/platform/http/app.ts';
import { createLiveBus } from '../../services/remote-support/realtime/live-events.ts';
import type { ListRange, StoredEvent, StoredFault } from '../../services/edge/intake/domain/intake-port.ts';
import { emptyShadow, type Shadow, type ShadowReader } from '../../services/edge/presence/domain/shadow.ts';
import type { DeviceRegistry } from '../../services/edge/registry/domain/registry-port.ts';
import { createSqliteDeviceRegistry } from '../../services/edge/registry/store/sqlite-device-store.ts';
import type { TelemetryQuery, TelemetryReader, TelemetrySample } from '../../services/edge/telemetry/domain/telemetry-port.ts';
import { tempDir } from './temp-dir.ts';

/*
 * The HTTP API over a real SQLite file (accounts, sessions, registry) and a real socket.
 * Shadows, telemetry and intake belong to other capabilities and are tested with their own
 * stores; here they are the tiny in-memory implementations of their ports below.
 */

export class MemoryShadows implements ShadowReader {
  readonly shadows = new Map<number, Shadow>();
  readonly online = new Set<number>();
  get(deviceId: number) {
    return this.shadows.get(deviceId) ?? null;
  }
  onlineIds() {
    return this.online;
  }
  set(deviceId: number, patch: Partial<Shadow>): void {
    this.shadows.set(deviceId, { ...emptyShadow(deviceId), ...this.shadows.get(deviceId), ...patch });
    if (patch.online === true) this.online.add(deviceId);
    if (patch.online === false) this.online.delete(deviceId);
  }
}

export class MemoryTelemetry implements TelemetryReader {
  readonly points: Array<{ deviceId: number; ts: number; metrics: Record<string, number> }> = [];
  readonly queries: TelemetryQuery[] = [];
  async query(q: TelemetryQuery): Promise<TelemetrySample[]> {
    this.queries.push(q);
    const raw = this.points
      .filter((p) => p.deviceId === q.deviceId && p.ts >= q.from && p.ts < q.to && q.metric in p.metrics)
      .sort((a, b) => a.ts - b.ts)
      .map((p) => ({ ts: p.ts, value: p.metrics[q.metric]! }));
    if (!q.stepMs) return raw.slice(0, q.limit).map((p) => ({ ...p, min: p.value, max: p.value, count: 1 }));
    const buckets = new Map<number, number[]>();
    for (const p of raw) {
      const start = q.from + Math.floor((p.ts - q.from) / q.stepMs) * q.stepMs;
      buckets.set(start, [...(buckets.get(start) ?? []), p.value]);
    }
    return [...buckets].slice(0, q.limit).map(([ts, vs]) => ({
      ts,
      value: vs.reduce((a, b) => a + b, 0) / vs.length,
      min: Math.min(...vs),
      max: Math.max(...vs),
      count: vs.length,
    }));
  }
}

export class MemoryIntake {
  readonly faults: StoredFault[] = [];
  readonly events: StoredEvent[] = [];
  private pick<T extends { deviceId: number; ts: number }>(items: T[], deviceId: number, range: ListRange): T[] {
    return items
      .filter((i) => i.deviceId === deviceId && (range.from === undefined || i.ts >= range.from) && (range.to === undefined || i.ts < range.to))
      .sort((a, b) => b.ts - a.ts)
      .slice(0, range.limit);
  }
  async listFaults(deviceId: number, range: ListRange) {
    return this.pick(this.faults, deviceId, range);
  }
  async listEvents(deviceId: number, range: ListRange) {
    return this.pick(this.events, deviceId, range);
  }
}

export interface RequestOptions {
  headers?: Record<string, string>;
  json?: unknown;
  csv?: string;
}

export interface ApiFixture {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  config: Config;
  db: Db;
  /** Not started: a test fires deadlines itself with `afterSales.scheduler.tick()` after `advance()`. */
  afterSales: AfterSales;
  registry: DeviceRegistry;
  shadows: MemoryShadows;
  telemetry: MemoryTelemetry;
  intake: MemoryIntake;
  /** Serials handed to onDeviceDisabled, in order. */
  disabled: string[];
  now(): number;
  advance(ms: number): void;
  /** Creates a user straight in the store (no API call). */
  createUser(username: string, password: string, role: Role): Promise<void>;
  /** `Authorization` headers of a fresh session for an account with this role. */
  headersFor(role: Role): Promise<Record<string, string>>;
  login(username: string, password: string): Promise<Response>;
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  close(): Promise<void>;
}

export const START = Date.parse('2025-06-15T08:00:00Z');
export const PASSWORD = 'correct horse battery';

/**
 * `commands`: what reaches the boxes, for both the command API and parameter backups;
 * without it every box reads as offline.
 */
export async function startApiFixture(env: Record<string, string> = {}, opts: { commands?: CommandPort } = {}): Promise<ApiFixture> {
  const dir = tempDir('mtbox-api-');
  const config = loadConfig({ DATA_DIR: dir.path, LOG_LEVEL: 'silent', ...env });
  const { db, close: closeDb } = await openSqlite(dir.path);
  let now = START;
  const clock = () => now;
  const registry = createSqliteDeviceRegistry(db);
  const shadows = new MemoryShadows();
  const telemetry = new MemoryTelemetry();
  const intake = new MemoryIntake();
  const disabled: string[] = [];
  const logger = pino({ level: 'silent' });
  const bus = createLiveBus();
  // No broker here: every box reads as offline; commands over MQTT are tested end to end.
  const commands = opts.commands ?? createCommandService({ db, clock, logger, transport: { publish: () => {}, isConnected: () => false } });
  const afterSales = createAfterSales({ config, db, clock, logger, bus, shadows, commands });
  const app = createHttpApp({
    config,
    logger,
    clock,
    db,
    registry,
    shadows,
    telemetry,
    intake,
    afterSales: afterSales.deps,
    remote: {
      commands,
      commandAccess: async (user) => user.role === 'admin',
    },
    health: () => ({ mqtt: { connected: shadows.online.size } }),
    onDeviceDisabled: (serial) => disabled.push(serial),
    // Scenarios here run many backups and restores on a clock that stands still; the limits
    // themselves are tested against the real app in api-costly-limits.test.ts.
    costlyLimits: { perAccount: { capacity: 1000, perMinute: 1000 }, perAddress: { capacity: 1000, perMinute: 1000 } },
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const users = createSqliteUserStore(db);
  const roleHeaders = new Map<Role, Record<string, string>>();

  const fixture: ApiFixture = {
    url,
    config,
    db,
    afterSales,
    registry,
    shadows,
    telemetry,
    intake,
    disabled,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async createUser(username, password, role) {
      const r = await users.create({ username, password, role }, now);
      if (!r.ok) throw new Error(`user ${username} exists`);
    },
    async headersFor(role) {
      let headers = roleHeaders.get(role);
      if (!headers) {
        await fixture.createUser(`${role}-user`, PASSWORD, role);
        const res = await fixture.login(`${role}-user`, PASSWORD);
        if (res.status !== 200) throw new Error(`login as ${role} answered ${res.status}`);
        headers = { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
        roleHeaders.set(role, headers);
      }
      return headers;
    },
    login(username, password) {
      return fixture.request('POST', '/api/auth/login', { json: { username, password } });
    },
    request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | undefined;
      if (options.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(options.json);
      } else if (options.csv !== undefined) {
        headers['content-type'] ??= 'text/csv';
        body = options.csv;
      }
      return fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeDb();
      dir.remove();
    },
  };
  return fixture;
}
